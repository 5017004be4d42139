package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"tokendesk/internal/lang"
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

// writeEmbedJS copies web/embed.js to the site's root with the languages
// filled in, from the catalogs.
func writeEmbedJS(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	js := string(b)
	if strings.Count(js, embedJSLangs) != 1 {
		return fmt.Errorf("%s: no %s", src, embedJSLangs)
	}
	titles := make(map[string]string, len(lang.All))
	for _, l := range lang.All {
		titles[l.Tag()] = l.Text(lang.KeyPageTitle)
	}
	langs, err := json.Marshal(titles)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, []byte(strings.Replace(js, embedJSLangs, string(langs), 1)), 0o644)
}
