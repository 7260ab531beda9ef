// Package browsertest drives a real headless Chromium for end-to-end tests.
//
// A test calls [New] to start a browser with one tab. The browser stops when
// the test ends. The tab collects the errors that the page writes to the
// console ([Browser.ConsoleErrors]), runs axe-core on the page
// ([Browser.Axe]), and moves through the page with real key events only
// ([Browser.Tab], [Browser.Enter], [Browser.Type]). Nothing clicks with
// JavaScript: a test that passes here passes for a keyboard user.
//
// The package needs Debian's chromium (/usr/bin/chromium) and axe-core in
// node_modules at the root of the module. ./scripts/test installs both. A
// machine without Chromium fails the test, unless KUNSKAPSNAV_SKIP_BROWSER=1
// is set, which skips it.
//
// The methods of a Browser are for the goroutine of its test. Use one Browser
// for each parallel test, or [Browser.NewTab] for a tab of its own.
package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Environment variables that the package reads.
const (
	// EnvChromium names the Chromium binary. Empty means /usr/bin/chromium,
	// then chromium in PATH.
	EnvChromium = "KUNSKAPSNAV_CHROMIUM"

	// EnvSkipBrowser set to 1 makes the browser tests skip when Chromium is
	// missing. Without it a missing Chromium fails the test.
	EnvSkipBrowser = "KUNSKAPSNAV_SKIP_BROWSER"
)

// opTimeout limits one action of a Browser method, such as a navigation with
// the load of the page, or one key press and the navigation that it causes.
const opTimeout = 30 * time.Second

// windowWidth and windowHeight are the size of the viewport, a laptop screen.
const (
	windowWidth  = 1280
	windowHeight = 900
)

// RequireChromium returns the path of the Chromium binary: the value of
// KUNSKAPSNAV_CHROMIUM, else /usr/bin/chromium, else chromium in PATH. When
// there is none, it skips the test if KUNSKAPSNAV_SKIP_BROWSER=1, and fails it
// otherwise.
func RequireChromium(tb testing.TB) string {
	tb.Helper()
	path, err := findChromium()
	if err == nil {
		return path
	}
	if os.Getenv(EnvSkipBrowser) == "1" {
		tb.Skipf("browser test skipped (%s=1): %v", EnvSkipBrowser, err)
	}
	tb.Fatalf("browser test needs Chromium: %v\n"+
		"Run ./scripts/test, which installs the Debian package chromium, "+
		"or install it with: apt-get install chromium\n"+
		"(set %s=1 to skip the browser tests instead)", err, EnvSkipBrowser)
	return ""
}

// findChromium looks for the binary in the order that RequireChromium
// documents.
func findChromium() (string, error) {
	if p := os.Getenv(EnvChromium); p != "" {
		if err := isExecutable(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", EnvChromium, p, err)
		}
		return p, nil
	}
	const debian = "/usr/bin/chromium"
	if isExecutable(debian) == nil {
		return debian, nil
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		return "", fmt.Errorf("no %s and no chromium in PATH", debian)
	}
	return p, nil
}

func isExecutable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("%s is not an executable file", path)
	}
	return nil
}

// Browser is one tab of a headless Chromium.
type Browser struct {
	ctx context.Context // the chromedp context of the tab

	consoleMu sync.Mutex
	console   []string
	documents map[network.RequestID]bool // the requests of documents
}

func newBrowser() *Browser {
	return &Browser{documents: make(map[network.RequestID]bool)}
}

// New starts a headless Chromium with a fresh profile in tb.TempDir, and
// opens one tab. The browser stops when the test ends. When the test fails,
// the test log gets the last output of the browser process.
func New(tb testing.TB) *Browser {
	tb.Helper()
	execPath := RequireChromium(tb)

	profile := filepath.Join(tb.TempDir(), "chromium-profile")
	if err := os.Mkdir(profile, 0o700); err != nil {
		tb.Fatalf("browsertest: %v", err)
	}
	output := &tailBuffer{max: 32 << 10}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		// The network of the machine is closed: without these flags
		// Chromium keeps trying to reach Google's servers.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(windowWidth, windowHeight),
		chromedp.CombinedOutput(output),
	)
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)

	b := newBrowser()
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(b.collect))
	b.ctx = ctx

	tb.Cleanup(func() {
		// Close the browser gracefully, then make sure that no process of
		// it is left and that its profile is gone before TempDir removes
		// the directory.
		cctx, ccancel := context.WithTimeout(ctx, 10*time.Second)
		err := chromedp.Cancel(cctx)
		ccancel()
		cancel()
		allocCancel()
		killProcessesUsing(profile)
		if rerr := removeAllRetry(profile); rerr != nil && err == nil {
			err = rerr
		}
		if err != nil && !errors.Is(err, context.Canceled) {
			tb.Logf("browsertest: stopping Chromium: %v", err)
		}
		if tb.Failed() {
			if out := quietOutput(output.String()); out != "" {
				tb.Logf("browsertest: last output of Chromium:\n%s", out)
			}
		}
	})

	if err := b.start(); err != nil {
		tb.Fatalf("browsertest: starting Chromium (%s): %v\n%s", execPath, err, quietOutput(output.String()))
	}
	return b
}

// NewTab opens a new tab in the same browser process, in a new browser
// context: the tab shares no cookies or storage with the other tabs, as a
// second user would. It collects its own console errors. The tab closes when
// the test of tb ends, which may be a subtest of the test that made b.
func (b *Browser) NewTab(tb testing.TB) *Browser {
	tb.Helper()
	nb := newBrowser()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(nb.collect))
	nb.ctx = ctx
	tb.Cleanup(cancel)
	if err := nb.start(); err != nil {
		tb.Fatalf("browsertest: opening a tab: %v", err)
	}
	return nb
}

// start runs the first action on the context of the tab, which starts the
// browser or opens the tab. It must not have a timeout, because the browser
// or the tab lives as long as the context of the first Run, so the timeout
// is on the wait for it.
func (b *Browser) start() error {
	started := make(chan error, 1)
	go func() {
		_, err := chromedp.Run(b.ctx, chromedp.Func(setupTab))
		started <- err
	}()
	timer := time.NewTimer(opTimeout)
	defer timer.Stop()
	select {
	case err := <-started:
		return err
	case <-timer.C:
		return fmt.Errorf("no answer within %v", opTimeout)
	}
}

// setupTab makes the tab act as the focused window, so that focus, :focus
// styles and key events work as they do for a user, also in the background.
func setupTab(ctx context.Context, t *chromedp.Target) error {
	_, err := cdp.Call(ctx, t, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
	return err
}

// Ctx returns the chromedp context of the tab, for actions that the package
// has no method for:
//
//	chromedp.Run(b.Ctx(), chromedp.Title())
//
// Derive a context with a timeout from it to limit an action.
func (b *Browser) Ctx() context.Context { return b.ctx }

// opCtx returns a context for one method call, with the default timeout.
func (b *Browser) opCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, opTimeout)
}

// Navigate loads the URL in the tab and waits for the load event of the page.
// It fails when the page cannot load, and not for an HTTP error status.
func (b *Browser) Navigate(url string) error {
	ctx, cancel := b.opCtx()
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("navigate to %s: %w", url, err)
	}
	return nil
}

// Screenshot writes a PNG of the whole page to path, and makes the directory
// of path when needed.
func (b *Browser) Screenshot(path string) error {
	ctx, cancel := b.opCtx()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}

// tailBuffer keeps the last max bytes written to it. It is safe for
// concurrent use.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (w *tailBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	if over := len(w.buf) - w.max; over > 0 {
		w.buf = append(w.buf[:0], w.buf[over:]...)
	}
	return len(p), nil
}

func (w *tailBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(w.buf)
}

// quietOutput drops the lines of the output of Chromium that it writes on
// every start on a machine without D-Bus, and a warning of Debian's wrapper
// script.
func quietOutput(out string) string {
	var keep []string
	for line := range strings.SplitSeq(out, "\n") {
		if line == "" || strings.Contains(line, ":ERROR:dbus/") || strings.Contains(line, "unexpected operator") {
			continue
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n")
}

// killProcessesUsing kills the processes that run with the profile dir, such
// as Chromium helpers that outlive the main process and would write into the
// directory while it is removed. Chromium passes --user-data-dir to each of
// its processes.
func killProcessesUsing(dir string) {
	want := []byte("--user-data-dir=" + dir)
	for pass := 0; pass < 3; pass++ {
		entries, err := os.ReadDir("/proc")
		if err != nil {
			return
		}
		found := false
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil || pid == os.Getpid() {
				continue
			}
			cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
			if err != nil {
				continue
			}
			for arg := range bytes.SplitSeq(cmdline, []byte{0}) {
				if bytes.Equal(arg, want) {
					_ = syscall.Kill(pid, syscall.SIGKILL)
					found = true
					break
				}
			}
		}
		if !found {
			return
		}
	}
}

// removeAllRetry removes dir, and tries again for a short time when a process
// that is still ending writes into it.
func removeAllRetry(dir string) error {
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := os.RemoveAll(dir)
		if err == nil || time.Now().After(deadline) {
			return err
		}
		killProcessesUsing(dir)
		time.Sleep(20 * time.Millisecond)
	}
}
