// Package lang is the languages the desk speaks: the Lang type, the
// language of a tag or a path, and the sentences, looked up by Key in each
// language's catalog. English, the source, is compiled in here; the other
// catalogs are in package translations, which only the Worker and the
// site generator import. The page's wasm reads its page's catalog from
// the page instead (SetCatalog), so English visitors do not download
// eight catalogs they never read.
package lang

import (
	"errors"
	"strconv"
	"strings"
)

// Lang is a language the desk speaks.
type Lang uint8

// The languages, English first: it is the source and the x-default at "/".
const (
	EN Lang = iota
	ES
	DE
	FR
	PtBR
	RU
	ZhHans
	JA
	KO
	numLangs
)

// All lists every language in the order the switcher shows them.
var All = [numLangs]Lang{EN, ES, DE, FR, PtBR, RU, ZhHans, JA, KO}

// langInfo is what a language needs besides its sentences.
type langInfo struct {
	// tag is the BCP 47 tag: <html lang>, hreflang, the path prefix and
	// the value of ?lang= and data-lang.
	tag string
	// groupSep separates thousands in numbers shown in sentences.
	groupSep string
}

var langInfos = [numLangs]langInfo{
	EN:     {"en", ","},
	ES:     {"es", "."},
	DE:     {"de", "."},
	FR:     {"fr", "\u202f"},
	PtBR:   {"pt-BR", "."},
	RU:     {"ru", "\u00a0"},
	ZhHans: {"zh-Hans", ","},
	JA:     {"ja", ","},
	KO:     {"ko", ","},
}

// Catalog is a language's sentences, indexed by Key.
type Catalog [numKeys]string

// catalogs holds the catalog of each language that has one here: English
// always, the others once package translations or SetCatalog put them.
var catalogs = [numLangs]*Catalog{EN: &catalogEN}

// Install makes c the catalog of l; package translations installs its
// catalogs when it is imported.
func Install(l Lang, c *Catalog) {
	if l < numLangs {
		catalogs[l] = c
	}
}

// catalog returns the language's sentences, indexed by Key: English when
// the language's catalog is not there (in the page's wasm, before
// SetCatalog).
func (l Lang) catalog() *Catalog {
	if l < numLangs && catalogs[l] != nil {
		return catalogs[l]
	}
	return &catalogEN
}

// Sentences returns the language's sentences as a list indexed by Key,
// with their placeholders, for the generator to write into the language's
// pages.
func (l Lang) Sentences() []string { return l.catalog()[:] }

// SetCatalog sets the language's sentences from a list Sentences made.
// The page's wasm calls it with the list the generator wrote into the
// page.
func SetCatalog(l Lang, sentences []string) error {
	if l >= numLangs || len(sentences) != int(numKeys) {
		return errors.New("lang: a catalog has " + strconv.Itoa(int(numKeys)) + " sentences, this one " + strconv.Itoa(len(sentences)))
	}
	c := new(Catalog)
	copy(c[:], sentences)
	Install(l, c)
	return nil
}

// Tag returns the language's BCP 47 tag, such as "pt-BR".
func (l Lang) Tag() string { return l.info().tag }

func (l Lang) info() *langInfo {
	if l >= numLangs {
		l = EN
	}
	return &langInfos[l]
}

// Path returns the language's page path: "/" for English, "/<tag>/" for
// the others.
func (l Lang) Path() string {
	if l == EN {
		return "/"
	}
	return "/" + l.Tag() + "/"
}

// PagePath returns the path of page (such as "/embed", or "/" for the home
// page) in the language: "/embed", "/de/embed", "/de/".
func (l Lang) PagePath(page string) string {
	return l.Path() + strings.TrimPrefix(page, "/")
}

// SplitPath splits a page path into its language and the English page
// path: "/de/embed" is DE and "/embed", "/ja/" is JA and "/". A path
// without a language prefix is English.
func SplitPath(path string) (Lang, string) {
	for _, l := range All[1:] {
		prefix := "/" + l.Tag() + "/"
		if path == prefix[:len(prefix)-1] {
			return l, "/"
		}
		if strings.HasPrefix(path, prefix) {
			return l, path[len(prefix)-1:]
		}
	}
	return EN, path
}

// Parse finds the desk's language for a BCP 47 tag as a browser or a
// page gives it ("de-AT", "zh-CN", "pt", "PT-br"), matching case-insensitively
// on the whole tag first, then on the primary language. Chinese is only
// Simplified (zh, zh-Hans, zh-CN, zh-SG); Traditional Chinese has no match.
func Parse(tag string) (Lang, bool) {
	tag = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-"))
	if tag == "" {
		return EN, false
	}
	primary, rest, _ := strings.Cut(tag, "-")
	for _, l := range All {
		if strings.ToLower(l.Tag()) == tag {
			return l, true
		}
	}
	if primary == "zh" {
		switch {
		case rest == "" || rest == "cn" || rest == "sg" || strings.HasPrefix(rest, "hans"):
			return ZhHans, true
		}
		return EN, false
	}
	for _, l := range All {
		if p, _, _ := strings.Cut(strings.ToLower(l.Tag()), "-"); p == primary {
			return l, true
		}
	}
	return EN, false
}

// OfTag finds the language whose tag is tag, ignoring case ("pt-br"):
// the rule for ?lang=, whose values are the desk's own tags.
func OfTag(tag string) (Lang, bool) {
	tag = strings.ToLower(tag)
	for _, l := range All {
		if strings.ToLower(l.Tag()) == tag {
			return l, true
		}
	}
	return EN, false
}

// Text returns the sentence for key in the language, with each {name} in
// it replaced by the value that follows name in args (name, value, name,
// value…). A value that is a whole number is written with the language's
// thousands separator.
func (l Lang) Text(key Key, args ...string) string {
	s := l.catalog()[key]
	for i := 0; i+1 < len(args); i += 2 {
		v := args[i+1]
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			v = l.number(v)
		}
		s = strings.ReplaceAll(s, "{"+args[i]+"}", v)
	}
	return s
}

// number groups the digits of a whole number by thousands.
func (l Lang) number(digits string) string {
	sep := l.info().groupSep
	for i := len(digits) - 3; i > 0; i -= 3 {
		digits = digits[:i] + sep + digits[i:]
	}
	return digits
}

// Key names one sentence. Each Catalog is an array indexed by Key. Its
// String is the constant's name (key_string.go; after adding a Key, run
// go generate ./internal/lang).
//
//go:generate go tool stringer -type=Key
type Key uint16

// The sentences. A placeholder in braces ({max}) is filled by Text.
const (
	// NoKey is the zero Key: no sentence.
	NoKey Key = iota

	// The page, its head and the manifest.
	KeyLangName        // the language's own name, in the switcher
	KeyLanguages       // the switcher's accessible name
	KeyOfferLang       // boot.js's one-line offer of this language
	KeyAppName         // the manifest's name
	KeyAppShortName    // the manifest's short_name
	KeyPageTitle       // <title>, og:title, the embed frame's title
	KeyPageDescription // meta description, the manifest's description
	KeyBrandProduct    // the masthead after "MetaHuman SDK /"
	KeyFooter
	KeyUpdateReady

	// The form.
	KeyFormTitle
	KeyFormLead
	KeyLabelName
	KeyLabelMail
	KeyLabelComment
	KeyOptional
	KeyCommentHint
	KeyCreate
	KeyCreating
	KeySending
	KeyFieldsOne
	KeyFieldsMany

	// The reveal.
	KeyResultTitle
	KeyCannotRetrieve
	KeyStoreNow
	KeyTokenLabel
	KeyShow
	KeyHide
	KeyShowToken
	KeyHideToken
	KeyCopy
	KeyCopied
	KeyDone
	KeyCopiedStatus
	KeyCopyFailed

	// Failures the page itself reports.
	KeyOffline
	KeyUnreachable
	KeyTimedOut
	KeyUnreadable
	KeyNoToken
	KeyTooManyRequests
	KeyServerTrouble
	KeyGeneric
	KeyChallengeFailed
	KeyChallengePending

	// Validation (the contract); English in the relay's JSON message.
	KeyNameRequired
	KeyNotText
	KeyNameTooLong
	KeyNameOneLine
	KeyMailRequired
	KeyMailTooLong
	KeyMailInvalid
	KeyMailDomain
	KeyCommentTooLong
	KeyFieldDuplicated
	KeyCheckTokenRequired
	KeyCheckTokenInvalid
	KeyUnsupportedMediaType
	KeyBodyTooLarge
	KeyMultipartUnreadable
	KeyNotURLEncoded
	KeyNoBoundary
	KeyNoFiles

	// The relay's own errors; English in its JSON message.
	KeyRateLimited
	KeyCheckRateLimited
	KeyHTTPSRequired
	KeyNotFound
	KeyMisconfigured
	KeyOriginForbidden
	KeyUsePost
	KeyUsePostCheck
	KeyUpstreamTimeout
	KeyUpstreamBusy
	KeyUpstreamRefused
	KeyUpstreamRejected
	KeyTokenUnregistered
	KeyTokenAuthFailed
	KeyCheckRefused
	KeyUpstreamSaid
	KeyUpstreamFailed
	KeyUpstreamUnreachable
	KeyUpstreamBadAnswer

	// The relay's HTML answers to a plain form post.
	KeySiteName
	KeyNotCreated
	KeyGoToForm
	KeyTryAgain
	KeyCopyByHand
	KeyCheckWorksTitle
	KeyCheckWorks
	KeyCheckAnother
	KeyCheckFailedTitle
	KeyCheckBadTitle
	KeyCheckAgain
	KeyCreateNew

	// The token check (tokendesk.CheckPage, the embed's check).
	KeyCheckPageTitle // the check page's <title>
	KeyCheckTitle
	KeyCheckLead
	KeyCheckTokenHint
	KeyCheckSubmit
	KeyChecking
	KeyCheckingStatus
	KeyNeedToken // before the link KeyGetNewToken
	KeyGetNewToken
	KeyCheckFromForm // the token form's link to the check
	KeyCheckSaysRegistered
	KeyCheckSaysUnregistered
	KeyCheckSaysAuthFailed
	KeyCheckSaysRejected
	KeyCheckSaysUnavailable
	KeyCheckSaysTimedOut
	KeyCheckSaysRateLimited
	KeyCheckSaysOffline
	KeyCheckSaysUnreachable

	// The reveal's "Check it now" and "Use it now".
	KeyCheckNow // the reveal's check of its token
	KeyUseNowTitle
	KeyUseNowLead
	KeyUseNowDocs
	KeyEnvFile
	KeySnippetCopy
	KeySnippetCopyName // a snippet's Copy button, for screen readers
	KeySnippetCopyFailed
	KeySnippetCopied

	// The contract's refusal of invisible characters (issue 19).
	KeyNameHidden
	KeyCommentHidden

	// "Keep it safe" (app/keep.go) and the clipboard's countdown.
	KeyKeepTitle
	KeySave
	KeySaveOffered
	KeySaveAsk
	KeySaveFailed
	KeySaveInFrame
	KeyOpenFullPage
	KeyShowQR
	KeyHideQR
	KeyQRName
	KeyQRHint
	KeyShare
	KeyDownloadEnv
	KeyEnvDownloaded
	KeyClipClearIn
	KeyClipClear
	KeyClipHint
	KeyClipCleared
	KeyClipChanged
	KeyClipAsk
	KeyClipFailed
	KeyLeakLead
	KeyLeakGitleaks
	KeyLeakGitHub

	numKeys
)

// FirstKey and LastKey bound the keys, for tests that go through them all.
const (
	FirstKey = NoKey + 1
	LastKey  = numKeys - 1
)
