package app

// Every sentence and label people see on the token check (/check, the
// embed's check, the reveal's "Check it now") and in "Use it now". They
// live here together so they can move into translation catalogs as one
// set. The relay's own sentences (field errors) come from the tokendesk
// package.

// The check page.
const (
	checkTitle       = "Check a token"
	checkLead        = "Paste a token you saved to see whether the MetaHuman SDK API still knows it. This page sends it only to check it, and keeps nothing."
	checkTokenLabel  = "API token"
	checkTokenHint   = "Paste it as you saved it: spaces and quotes around it are removed."
	checkSubmitLabel = "Check token"
	checkBusyLabel   = "Checking…"
	checkBusyStatus  = "Checking your token…"
	checkShowLabel   = "Show"
	checkHideLabel   = "Hide"
	checkToggleNoun  = " token" // read after Show/Hide by screen readers only
	checkGetTokenQ   = "Need a token? "
	checkGetToken    = "Get a new one"
)

// Links to the check from the token form and the reveal.
const (
	linkCheckFromForm   = "Already have a token? Check it"
	linkCheckFromReveal = "Check another token"
)

// What a check found, as sentences a person can act on.
const (
	checkSaysRegistered   = "This token is registered, and the MetaHuman SDK API is up. You can use it."
	checkSaysUnregistered = "The API does not know this token. Compare it with where you saved it for typos, or create a new one."
	checkSaysAuthFailed   = "The API refused this token. Check that you copied all of it, or create a new one."
	checkSaysRejected     = "The API would not check this token just now. Try again in a minute."
	checkSaysUnavailable  = "The MetaHuman SDK API is having trouble, so your token could not be checked. This says nothing about your token: try again in a few minutes."
	checkSaysTimedOut     = "The MetaHuman SDK API took too long to answer, so your token could not be checked. This says nothing about your token: try again in a minute."
	checkSaysRateLimited  = "Too many checks from your network. Wait a minute, then try again."
	checkSaysOffline      = "You are offline. Connect to the internet, then select Check token again."
	checkSaysUnreachable  = "Could not reach the token service. Check your connection, then try again."
	checkSaysUnreadable   = "The token service sent an answer this page cannot read. Try again in a minute."
	// checkCreateNew follows the sentences that suggest a new token.
	checkCreateNew = "Create a new token"
)

// The reveal's check of the token it holds.
const (
	checkNowLabel  = "Check it now"
	checkNowBusy   = "Checking…"
	checkNowStatus = "Checking your token with the API…"
)

// "Use it now", under the reveal.
const (
	useNowTitle   = "Use it now"
	useNowLead    = "Each example checks this token with the MetaHuman SDK API. They show the token only while it is shown above; Done removes them."
	useNowDocs    = "Read the API documentation"
	labelCurl     = "curl"
	labelPython   = "Python (requests)"
	labelGo       = "Go (net/http)"
	labelEnv      = ".env file"
	snippetCopy   = "Copy"
	snippetCopied = "Copied"
	// snippetCopyFailed shows the snippet's text, so it can be selected.
	snippetCopyFailed = "Your browser blocked copying. Select the text of the example and press Ctrl+C (⌘C on a Mac)."
)

// snippetCopyNoun names the snippet after a Copy button, for screen
// readers: "Copy" + " curl example".
func snippetCopyNoun(label string) string { return " " + label + " example" }

// snippetCopiedStatus is announced after a snippet was copied.
func snippetCopiedStatus(label string) string {
	return "Copied the " + label + " example. It holds your token: paste it only where you keep secrets."
}
