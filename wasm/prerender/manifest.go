package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"tokendesk/internal/lang"
	"tokendesk/worker/site"
)

// The web app manifests and embed.js's language list.

// fixManifests adds what go-app's manifest template has no field for (a
// maskable icon, an id and the language), and writes one manifest per
// language from it: the same app (one id), named and described in the
// language, starting at the language's page.
func fixManifests(out string) error {
	path := filepath.Join(out, manifestFile(lang.EN))
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	icons, _ := m["icons"].([]any)
	m["icons"] = append(icons, map[string]any{
		"src":     "/web/icon-maskable-512.png",
		"type":    "image/png",
		"sizes":   "512x512",
		"purpose": "maskable",
	})
	m["id"] = "/"
	m["dir"] = "ltr"
	for _, l := range lang.All {
		m["lang"] = l.Tag()
		m["name"] = l.Text(lang.KeyAppName)
		m["short_name"] = l.Text(lang.KeyAppShortName)
		m["description"] = l.Text(lang.KeyPageDescription)
		m["start_url"] = l.Path()
		b, err = json.MarshalIndent(m, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, manifestFile(l)), append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// embedJSLangs is the placeholder in web/embed.js for the languages it
// knows: tag → the frame's title in that language.
const embedJSLangs = "{/* languages: written by the generator */}"

// embedJS is web/embed.js (read from src) with the languages filled in,
// from the catalogs: the bytes the site serves as /embed.js.
func embedJS(src string) ([]byte, error) {
	b, err := os.ReadFile(src)
	if err != nil {
		return nil, err
	}
	js := string(b)
	if strings.Count(js, embedJSLangs) != 1 {
		return nil, fmt.Errorf("%s: no %s", src, embedJSLangs)
	}
	titles := make(map[string]string, len(lang.All))
	for _, l := range lang.All {
		titles[l.Tag()] = l.Text(lang.KeyPageTitle)
	}
	langs, err := json.Marshal(titles)
	if err != nil {
		return nil, err
	}
	return []byte(strings.Replace(js, embedJSLangs, string(langs), 1)), nil
}

// writeEmbedJS writes embed.js (from src) to the site in out twice: at
// /embed.js, which always serves the latest, and at its versioned path
// (site.VersionedEmbedScript), which never changes, so a page that pins it
// with an integrity hash keeps working. It returns the versioned path and
// the integrity hash.
func writeEmbedJS(src, out string) (path, integrity string, err error) {
	js, err := embedJS(src)
	if err != nil {
		return "", "", err
	}
	path, integrity = site.VersionedEmbedScript(js)
	versioned := filepath.Join(out, filepath.FromSlash(strings.TrimPrefix(path, "/")))
	if err := os.MkdirAll(filepath.Dir(versioned), 0o755); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(versioned, js, 0o644); err != nil {
		return "", "", err
	}
	return path, integrity, os.WriteFile(filepath.Join(out, strings.TrimPrefix(site.EmbedScript, "/")), js, 0o644)
}
