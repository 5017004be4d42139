package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"tokendesk/internal/lang"
)

// Download a .env file: EnvFileName, holding EnvFile(token). The browser
// gets it from a Blob URL that is revoked as soon as the download has
// started, and the desk keeps nothing.

// EnvFileName is the name of the downloaded file.
const EnvFileName = "metahumansdk.env"

// EnvFile is the file's text: a comment that keeps it out of version
// control, with the line for .gitignore, then the variable.
func EnvFile(token string) string {
	return "# MetaHuman SDK API token. Keep this file out of version control: add this line to .gitignore\n" +
		"# " + EnvFileName + "\n" +
		EnvVar + "=" + token + "\n"
}

func (d *Desk) onDownloadEnv(ctx app.Context, e app.Event) {
	if d.s.phase != Revealed {
		return
	}
	d.keep.Download(EnvFileName, EnvFile(d.s.token))
	d.s.setKeepStatus(lang.KeyEnvDownloaded, false, "file", EnvFileName)
	d.changed(ctx)
}

func (browserKeeper) Download(name, text string) {
	if !app.IsClient {
		return
	}
	win := app.Window()
	opts := newObject()
	opts.Set("type", "text/plain")
	blobs := win.Get("URL")
	href := blobs.Call("createObjectURL", win.Get("Blob").New([]any{text}, opts))
	// Detached: go-app's window click handler would take a link in the
	// document for a navigation of its own.
	a := win.Get("document").Call("createElement", "a")
	a.Set("href", href)
	a.Set("download", name)
	a.Call("click")
	// The download holds the Blob by now; nothing else may.
	blobs.Call("revokeObjectURL", href)
}
