package site

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"

	"tokendesk"
	"tokendesk/internal/lang"
)

// The embed's paths: its loader, the loader's versions, and its pages.

// EmbedScript is the path of the embed loader, always its latest version.
const EmbedScript = "/embed.js"

// VersionedDir holds each version of the embed loader at a path of its own
// (VersionedEmbedScript), for pages that pin it with Subresource Integrity.
const VersionedDir = "/v/"

// VersionedEmbedScript returns the path at which the embed loader js is
// served for good, named by its content, and its Subresource Integrity
// hash, for <script integrity>.
func VersionedEmbedScript(js []byte) (path, integrity string) {
	name := sha256.Sum256(js)
	sri := sha512.Sum384(js)
	return VersionedDir + hex.EncodeToString(name[:6]) + EmbedScript, "sha384-" + base64.StdEncoding.EncodeToString(sri[:])
}

// IsEmbed reports whether path is a framable page: /embed and the check
// inside it, in any language ("/de/embed", "/de/embed/check":
// tokendesk.CanonicalPage maps them all to their language's /embed).
func IsEmbed(path string) bool {
	canonical, _ := tokendesk.CanonicalPage(path, "")
	_, page := lang.SplitPath(canonical)
	return page == tokendesk.EmbedPath
}
