//go:build !js

// Package stack starts the real local stack for end-to-end tests, browser
// tests, load tests and benchmarks: an in-process MetaHuman SDK API emulator
// (not the real API) behind a net/http server, and the worker running in
// workerd through `wrangler dev`, with UPSTREAM_URL pointing at the emulator.
//
// It does not build the worker; run `make build` first. It starts processes,
// so it builds natively only (!js); `make lint` leaves it, and every package
// and test that imports it, out of the js/wasm checks.
package stack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tokendesk/internal/emulator"
	"tokendesk/worker/site"
)

// ReadyTimeout covers a cold wrangler start (bundling, workerd boot).
const ReadyTimeout = 60 * time.Second

// LogEnv names the environment variable that, when set to a file path,
// makes every stack append wrangler's output to that file as well.
const LogEnv = "STACK_LOG"

// Options configures Start. The zero value runs the Go worker from the
// repository's own wrangler config against a fresh emulator.
type Options struct {
	// UpstreamURL, when set, is passed to the worker as UPSTREAM_URL and no
	// emulator is started.
	UpstreamURL string
	// Emulator configures the in-process emulator.
	Emulator emulator.Options
	// Vars are extra worker variables, passed as --var K:V. RATE_LIMIT is
	// "off" unless Vars says otherwise: tests send many requests from one
	// address, and only the rate-limit test wants the limiter.
	Vars map[string]string
	// Root, when set, is another checkout whose built Worker the stack
	// runs (wrangler.toml, worker/, build/, dist/), for before/after
	// figures; wrangler still comes from this repository.
	Root string
	// Wasm, when set, is a Go program built for js/wasm that the stack runs
	// in place of build/app.wasm, behind the same entry.mjs (for the
	// bridge's failure tests).
	Wasm string
	// Config is an alternative wrangler config (e.g. a JS comparator worker),
	// relative to the current directory. When set, build/ is not checked.
	Config string
	// Port is the worker's port; 0 picks a free one.
	Port int
	// ReadyPath is polled until it answers any HTTP status; default "/".
	ReadyPath string
	// LogLevel is wrangler's --log-level; default "log". Note that "info"
	// hides the worker's console.log lines (wrangler ranks log below info).
	LogLevel string
}

// Stack is a running local stack. Close it when done.
type Stack struct {
	// URL is the worker's base URL, without a trailing slash: for a
	// test's stack (StartT, Shared), the Worker's own socket in workerd
	// where it can be found (direct.go), else wrangler dev's.
	URL string
	// DevURL is where wrangler dev serves the Worker, through its
	// ProxyWorker, as for make dev.
	DevURL string
	// Port is wrangler dev's port.
	Port int
	// Emulator is the in-process emulator, nil when Options.UpstreamURL was set.
	Emulator *emulator.Emulator
	// EmulatorURL is the upstream base URL given to the worker.
	EmulatorURL string
	// RepoRoot is the directory holding go.mod, where wrangler runs.
	RepoRoot string
	// Cmd is the `wrangler dev` process; its pid is also its process group id.
	Cmd *exec.Cmd

	logs    *logBuffer
	logFile *os.File
	output  *dropHeartbeatLines
	// stopHeartbeat is set for a test's stack that goes through wrangler
	// dev (see forTest).
	stopHeartbeat func()
	// mark is what this stack's site holds at heartbeatPath; empty for
	// another config, which has no heartbeat file.
	mark       string
	emuServer  *http.Server
	persistDir string
	exited     chan struct{} // closed when Cmd has been waited for
	closeOnce  sync.Once
	closeErr   error
}

// SkipIfShort skips a test that runs the real stack under go test -short:
// every such test, since they all start it with StartT (or call this
// before the work that precedes StartT).
func SkipIfShort(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: this test runs workerd (wrangler dev)")
	}
}

// StartT starts a stack for a test (see forTest), and closes it in
// t.Cleanup. When the test has failed, the tail of wrangler's output is
// logged.
func StartT(t testing.TB, opts Options) *Stack {
	t.Helper()
	SkipIfShort(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := Start(ctx, opts)
	if err != nil {
		t.Fatalf("stack: %v", err)
	}
	s.forTest()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("wrangler output (tail):\n%s", s.LogTail(60))
		}
		if err := s.Close(); err != nil {
			t.Logf("stack close: %v", err)
		}
	})
	return s
}

// Start starts the emulator (unless opts.UpstreamURL is set) and
// `wrangler dev`, and waits until the worker answers. ctx bounds the start
// only; the stack runs until Close.
func Start(ctx context.Context, opts Options) (*Stack, error) {
	// workerd picks internal ports of its own; when many stacks start at
	// once, one can be taken between its pick and its bind. That start
	// fails at once, so it is tried again.
	for attempt := 1; ; attempt++ {
		s, err := start(ctx, opts)
		if err == nil || attempt == 3 || !strings.Contains(err.Error(), portTaken) {
			return s, err
		}
	}
}

// portTaken is how workerd's output says a port it picked was taken.
const portTaken = "Address already in use"

func start(ctx context.Context, opts Options) (_ *Stack, err error) {
	root, err := FindRepoRoot()
	if err != nil {
		return nil, err
	}
	wrangler := filepath.Join(root, "node_modules", ".bin", "wrangler")
	if _, err := os.Stat(wrangler); err != nil {
		return nil, fmt.Errorf("wrangler not found at %s (run `npm ci` first): %w", wrangler, err)
	}
	configPath := ""
	if opts.Config != "" {
		if configPath, err = filepath.Abs(opts.Config); err != nil {
			return nil, err
		}
		if _, err := os.Stat(configPath); err != nil {
			return nil, fmt.Errorf("wrangler config: %w", err)
		}
	}

	s := &Stack{RepoRoot: root, logs: &logBuffer{}, exited: make(chan struct{})}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	// A private state dir lets several stacks run at once without sharing
	// wrangler's local storage (rate limiter, caches).
	if s.persistDir, err = os.MkdirTemp("", "stack-wrangler-state-"); err != nil {
		return nil, err
	}
	if configPath == "" {
		source := root
		if opts.Root != "" {
			source = opts.Root
		}
		if configPath, err = snapshotWorker(source, s.persistDir); err != nil {
			return nil, err
		}
		s.mark = filepath.Base(s.persistDir) + "\n" // unique: MkdirTemp's name
		if err := addHeartbeatFile(filepath.Join(s.persistDir, "dist"), s.mark); err != nil {
			return nil, err
		}
		if opts.Wasm != "" {
			if err := copyTree(opts.Wasm, filepath.Join(s.persistDir, "build", "app.wasm")); err != nil {
				return nil, err
			}
		}
		// The build settings go into the snapshot's pages and _headers,
		// as `make build FRAME_ANCESTORS=… TURNSTILE_SITE_KEY=…` would put
		// them into dist/.
		frame, turnstile := opts.Vars["FRAME_ANCESTORS"], opts.Vars["TURNSTILE_SITE_KEY"]
		if frame != "" || turnstile != "" {
			policy := site.Policy{FrameAncestors: frame, TurnstileSiteKey: turnstile}
			if err := policy.Check(); err != nil {
				return nil, err
			}
			if err := site.Apply(filepath.Join(s.persistDir, "dist"), policy); err != nil {
				return nil, err
			}
		}
	}

	// The repository's Worker runs as deployed (see bundle.go); another
	// config (a comparator) is bundled by wrangler dev.
	bundle := ""
	if opts.Config == "" {
		if bundle, err = deployBundle(root, s.persistDir); err != nil {
			return nil, err
		}
	}

	s.EmulatorURL = strings.TrimRight(opts.UpstreamURL, "/")
	if s.EmulatorURL == "" {
		if err := s.startEmulator(opts.Emulator); err != nil {
			return nil, err
		}
	}

	s.Port = opts.Port
	if s.Port == 0 {
		if s.Port, err = freePort(); err != nil {
			return nil, err
		}
	}
	inspectorPort, err := freePort()
	if err != nil {
		return nil, err
	}
	s.URL = "http://127.0.0.1:" + strconv.Itoa(s.Port)
	s.DevURL = s.URL

	args := []string{"dev"}
	if bundle != "" {
		args = append(args, bundle, "--no-bundle")
	}
	args = append(args,
		"--port", strconv.Itoa(s.Port),
		"--inspector-port", strconv.Itoa(inspectorPort),
		"--ip", "127.0.0.1",
		"--persist-to", filepath.Join(s.persistDir, "state"),
		"--var", "UPSTREAM_URL:"+s.EmulatorURL,
	)
	if _, set := opts.Vars["RATE_LIMIT"]; !set {
		args = append(args, "--var", "RATE_LIMIT:off")
	}
	for _, key := range slices.Sorted(maps.Keys(opts.Vars)) {
		args = append(args, "--var", key+":"+opts.Vars[key])
	}
	args = append(args, "--config", configPath)
	logLevel := opts.LogLevel
	if logLevel == "" {
		logLevel = "log"
	}
	args = append(args, "--show-interactive-dev-session=false", "--log-level", logLevel)

	writers := []io.Writer{s.logs}
	if path := os.Getenv(LogEnv); path != "" {
		if s.logFile, err = os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644); err != nil {
			return nil, fmt.Errorf("%s: %w", LogEnv, err)
		}
		writers = append(writers, s.logFile)
	}
	s.output = &dropHeartbeatLines{w: &lockedWriter{writers: writers}}

	cmd := exec.Command(wrangler, args...)
	cmd.Dir = root
	cmd.Env = wranglerEnv()
	cmd.Stdout, cmd.Stderr = s.output, s.output
	// Own process group so Close reaches workerd children too; SIGTERM if
	// this process dies without closing (e.g. a test timeout panic).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		close(s.exited)
		return nil, fmt.Errorf("start wrangler: %w", err)
	}
	s.Cmd = cmd
	go func() {
		cmd.Wait()
		close(s.exited)
	}()

	timeout := ReadyTimeout
	readyPath := opts.ReadyPath
	if readyPath == "" {
		readyPath = "/"
	}
	if err := s.waitReady(ctx, s.URL+readyPath, timeout); err != nil {
		return nil, fmt.Errorf("%w\nwrangler output (tail):\n%s", err, s.LogTail(40))
	}
	return s, nil
}

// forTest readies a started stack for a test: its URL becomes the Worker's
// own socket (direct.go); where that cannot be found, it stays wrangler
// dev's, and the heartbeat (heartbeat.go) starts, and the log says why.
func (s *Stack) forTest() {
	u, err := s.workerSocket()
	if err == nil {
		s.URL = u
		return
	}
	fmt.Fprintf(s.logs, "stack: %v: %s\n", err, throughProxy)
	s.startHeartbeat()
}

// throughProxy is what forTest logs when the tests go through wrangler dev.
const throughProxy = "the tests go through wrangler dev's ProxyWorker, with a heartbeat"

// wranglerEnv is the environment every wrangler the stacks run gets.
func wranglerEnv() []string {
	return append(os.Environ(),
		"WRANGLER_SEND_METRICS=false",
		"WRANGLER_SEND_ERROR_REPORTS=false",
		"CI=true",
		// Offline: skip miniflare's download of the Request.cf placeholder
		// from workers.cloudflare.com, a 3 s timeout and a warning otherwise.
		"CLOUDFLARE_CF_FETCH_ENABLED=false",
		"NO_COLOR=1",
		"FORCE_COLOR=0",
	)
}

func (s *Stack) startEmulator(opts emulator.Options) error {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	s.Emulator = emulator.New(opts)
	s.emuServer = &http.Server{Handler: s.Emulator, ReadHeaderTimeout: 10 * time.Second}
	go s.emuServer.Serve(listener)
	s.EmulatorURL = "http://" + listener.Addr().String()
	return nil
}

func (s *Stack) waitReady(ctx context.Context, url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Timeout: 5 * time.Second}
	// freePort's port may be bound by another process (another stack's
	// workerd binds ports of its own) before wrangler binds it: a
	// clean-clone run's test then got that process's 404. Only this
	// stack's mark at heartbeatPath shows that the port is this stack's;
	// the other process keeps wrangler from binding, and wrangler exits.
	ours := s.mark == ""
	for {
		if !ours {
			ours = s.servesMark(ctx, client, s.URL)
		}
		if ours {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				return err
			}
			if resp, err := client.Do(req); err == nil {
				resp.Body.Close()
				return nil
			}
		}
		select {
		case <-s.exited:
			err := fmt.Errorf("wrangler exited before %s answered (%v)", url, s.Cmd.ProcessState)
			if strings.Contains(s.Logs(), portTaken) {
				err = fmt.Errorf("%w: %s", err, portTaken)
			}
			return err
		case <-ctx.Done():
			return fmt.Errorf("%s did not answer within %s: %w", url, timeout, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Close stops wrangler and its workerd children, then the emulator. It is
// safe to call more than once.
func (s *Stack) Close() error {
	s.closeOnce.Do(func() {
		if s.stopHeartbeat != nil {
			s.stopHeartbeat()
		}
		if s.Cmd != nil && s.Cmd.Process != nil {
			pids := s.Pids() // before the group leader goes away
			pgid := s.Cmd.Process.Pid
			syscall.Kill(-pgid, syscall.SIGTERM)
			select {
			case <-s.exited:
			case <-time.After(5 * time.Second):
				syscall.Kill(-pgid, syscall.SIGKILL)
				<-s.exited
			}
			s.output.flush()
			// workerd may outlive wrangler briefly, or have left the group.
			deadline := time.Now().Add(3 * time.Second)
			for _, pid := range pids {
				for processAlive(pid) && time.Now().Before(deadline) {
					time.Sleep(50 * time.Millisecond)
				}
				if processAlive(pid) {
					syscall.Kill(pid, syscall.SIGKILL)
				}
			}
		}
		if s.emuServer != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			// Slow-fault handlers may still be sleeping; don't wait for them.
			if err := s.emuServer.Shutdown(ctx); err != nil {
				s.emuServer.Close()
			}
			cancel()
		}
		if s.persistDir != "" {
			os.RemoveAll(s.persistDir)
		}
		if s.logFile != nil {
			s.closeErr = s.logFile.Close()
		}
	})
	return s.closeErr
}

// FindRepoRoot walks up from the current directory to the one holding go.mod.
func FindRepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found in the current directory or its parents")
		}
		dir = parent
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// logBuffer collects output for Logs; writes and reads may race otherwise.
