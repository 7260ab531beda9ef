package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// AxeTags are the axe-core rule tags that [Browser.Axe] runs: WCAG 2.0 and
// 2.1, levels A and AA.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// axeRelPath is where npm puts axe-core, below the root of the module.
const axeRelPath = "node_modules/axe-core/axe.min.js"

// Violation is one failed axe-core rule on a page.
type Violation struct {
	ID      string // the rule, such as "label" or "image-alt"
	Impact  string // minor, moderate, serious or critical
	Help    string // what the rule asks for
	HelpURL string
	// Nodes are the elements that fail the rule, each as its CSS selector,
	// a colon, and the start of its HTML.
	Nodes []string
}

// FormatViolations describes the violations for a test failure, one rule a
// paragraph with its elements below it. It returns "" for no violations.
func FormatViolations(v []Violation) string {
	if len(v) == 0 {
		return ""
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d axe-core violation(s):\n", len(v))
	for _, x := range v {
		fmt.Fprintf(&sb, "- %s (%s): %s\n  %s\n", x.ID, x.Impact, x.Help, x.HelpURL)
		for _, n := range x.Nodes {
			fmt.Fprintf(&sb, "    %s\n", n)
		}
	}
	return sb.String()
}

var axeSource struct {
	once sync.Once
	text string
	err  error
}

// loadAxe reads axe.min.js from node_modules at the root of the module, the
// first directory above the working directory that holds go.mod.
func loadAxe() (string, error) {
	axeSource.once.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			axeSource.err = err
			return
		}
		path := filepath.Join(root, axeRelPath)
		data, err := os.ReadFile(path)
		if err != nil {
			axeSource.err = fmt.Errorf("reading axe-core: %w (run ./scripts/test or npm ci in %s)", err, root)
			return
		}
		axeSource.text = string(data)
	})
	return axeSource.text, axeSource.err
}

func moduleRoot() (string, error) {
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
			return "", errors.New("no go.mod above the working directory, so no node_modules with axe-core")
		}
		dir = parent
	}
}

// axeRunJS runs axe-core on the document with the rule tags of AxeTags, and
// gives the violations in the shape of Violation.
const axeRunJS = `(async (tags) => {
	const r = await axe.run(document, {
		runOnly: {type: "tag", values: tags},
		resultTypes: ["violations"],
	});
	return r.violations.map(v => ({
		ID: v.id,
		Impact: v.impact || "",
		Help: v.help,
		HelpURL: v.helpUrl,
		Nodes: v.nodes.map(n => n.target.map(String).join(" ") + ": " + n.html.slice(0, 300)),
	}));
})`

// Axe runs axe-core on the page of the tab with the rules of AxeTags, and
// returns the violations.
//
// The script goes into the page with the DevTools protocol
// (Runtime.evaluate), which a Content-Security-Policy does not block, so it
// works on pages whose script-src has no 'unsafe-inline' or 'unsafe-eval'.
func (b *Browser) Axe() ([]Violation, error) {
	src, err := loadAxe()
	if err != nil {
		return nil, err
	}
	tags, err := json.Marshal(AxeTags)
	if err != nil {
		return nil, err
	}
	ctx, cancel := b.opCtx()
	defer cancel()
	return chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) ([]Violation, error) {
		loaded, err := evalValue[bool](ctx, t, `typeof window.axe === "object" && typeof window.axe.run === "function"`, false)
		if err != nil {
			return nil, fmt.Errorf("axe: %w", err)
		}
		if !loaded {
			if _, err := evalValue[chromedp.Void](ctx, t, src+"\n;0", false); err != nil {
				return nil, fmt.Errorf("axe: injecting axe-core: %w", err)
			}
		}
		v, err := evalValue[[]Violation](ctx, t, axeRunJS+"("+string(tags)+")", true)
		if err != nil {
			return nil, fmt.Errorf("axe: running axe-core: %w", err)
		}
		return v, nil
	})
}

// evalValue evaluates the expression in the main world of the page and
// decodes its value into T. With await, it waits for the promise that the
// expression gives.
func evalValue[T any](ctx context.Context, t *chromedp.Target, expr string, await bool) (T, error) {
	var zero T
	p := runtime.EvaluateParams{Expression: expr, ReturnByValue: ptr(true)}
	if await {
		p.AwaitPromise = ptr(true)
	}
	r, err := cdp.Call(ctx, t, runtime.Evaluate, p)
	if err != nil {
		return zero, err
	}
	if r.ExceptionDetails != nil {
		return zero, &chromedp.ExceptionError{ExceptionDetails: r.ExceptionDetails}
	}
	if _, ok := any(zero).(chromedp.Void); ok {
		return zero, nil
	}
	var v T
	if r.Result == nil || len(r.Result.Value) == 0 {
		return zero, fmt.Errorf("the expression gave no value (%s)", resultType(r.Result))
	}
	if err := json.Unmarshal(r.Result.Value, &v); err != nil {
		return zero, fmt.Errorf("decoding the result: %w", err)
	}
	return v, nil
}

func resultType(o *runtime.RemoteObject) string {
	if o == nil {
		return "nothing"
	}
	return string(o.Type)
}

func ptr[T any](v T) *T { return &v }
