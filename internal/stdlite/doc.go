// Package stdlite holds the Worker's stand-ins for standard packages: small
// parsers and encoders that do, for the token desk's inputs, what these
// packages do.
//
//	net/url         ParseQuery, QueryEscape (query.go); ParseTarget, ParseURL (url.go)
//	net/netip       ParseIPv4, ParseIPv6, FormatIPv6, IsIPv4, IsIPv6 (ip.go)
//	mime            ParseMediaType (mediatype.go)
//	mime/multipart  ParseMultipart (multipart.go); ParseForm reads either form (form.go)
//	net/mail        ParseAddress (address.go)
//	encoding/json   AppendJSONString (jsonquote.go); JSONLookup, JSONString… (json.go)
//
// They exist because the Worker's wasm is its cold start: every byte of it
// is paid on every fresh isolate, and each of those packages brings more of
// the standard library with it (fmt, reflect, os, net). What each would add
// is the table "What the Worker does without" in BENCHMARKS.md, which make
// bench measures again; TestWorkerLinksNoReplacedPackage (internal/bench)
// keeps them out of the Worker.
//
// Fuzz tests hold each to the package it stands in for, both ways where
// both can be asked: what the standard package takes, the stand-in takes
// too, and reads the same, but for what it refuses on purpose, which each
// test names (differential_test.go, json_test.go, jsonquote_test.go,
// url_test.go). The package imports only small standard packages (strings, bytes,
// strconv, errors, unicode/utf8, unicode/utf16) and nothing of the desk.
package stdlite
