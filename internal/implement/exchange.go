package implement

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// The exchange format between regions (docs/exchange.md): a support's
// template and gap analyses, without personal data, as JSON validated by the
// JSON Schema in schema/ (copied to docs/schemas/).
const (
	// ExchangeSchemaID names the format; it is the schema's $id.
	ExchangeSchemaID = "https://kunskapsnav.se/schemas/implement-exchange-v1.schema.json"
	// ExchangeVersion is the version this release writes.
	ExchangeVersion = "1"
	// ExchangeMaxBytes is the largest file an import reads: 5 MiB.
	ExchangeMaxBytes int64 = 5 << 20
	// maxExchangeProblems bounds the problems reported for one file.
	maxExchangeProblems = 100
)

// ExchangeVersions lists the versions an import reads.
var ExchangeVersions = []string{ExchangeVersion}

//go:embed schema/implement-exchange-v1.schema.json
var exchangeSchemaJSON []byte

// ExchangeSchema returns the JSON Schema of the format, as published.
func ExchangeSchema() []byte { return slices.Clone(exchangeSchemaJSON) }

// Exchange is one region's export of a support's template and gap analyses.
type Exchange struct {
	SchemaURL       string                   `json:"schema" doc:"The schema's address; names the format"`
	SchemaVersion   string                   `json:"schema_version" doc:"The format's version"`
	ExportedAt      time.Time                `json:"exported_at"`
	Source          ExchangeSource           `json:"source"`
	Support         ExchangeSupport          `json:"support"`
	Template        ExchangeTemplate         `json:"template"`
	Recommendations []ExchangeRecommendation `json:"recommendations"`
}

// ExchangeSource is the region that exported a file.
type ExchangeSource struct {
	Region           string `json:"region" doc:"The exporting region's name"`
	HealthcareRegion string `json:"healthcare_region" doc:"The code of its sjukvårdsregion"`
	System           string `json:"system" doc:"The exporting system and its version"`
}

// ExchangeSupport is the support an exchange file is about.
type ExchangeSupport struct {
	Kind    string `json:"kind"`
	Code    string `json:"code"`
	Title   string `json:"title"`
	Edition string `json:"edition"`
	Link    string `json:"link"`
}

// ExchangeTemplate is the template the exported analyses were made with.
type ExchangeTemplate struct {
	HealthcareRegion string             `json:"healthcare_region"`
	Number           int                `json:"number"`
	Title            string             `json:"title"`
	Questions        []ExchangeQuestion `json:"questions"`
}

// ExchangeQuestion is one question of an exported template.
type ExchangeQuestion struct {
	Key      string `json:"key"`
	Level    Level  `json:"level"`
	Label    string `json:"label"`
	Required bool   `json:"required"`
}

// ExchangeRecommendation is one recommendation with its gap analysis.
type ExchangeRecommendation struct {
	Code string      `json:"code" doc:"Matched between regions; empty cannot be matched"`
	Text string      `json:"text"`
	Gap  ExchangeGap `json:"gap"`
}

// ExchangeGap is an exported gap analysis: no people, only a count of units.
type ExchangeGap struct {
	Size              GapSize           `json:"size" doc:"Empty when not judged"`
	CrowdingOut       bool              `json:"crowding_out"`
	Answers           map[string]string `json:"answers" doc:"Answers by question key"`
	AffectedUnitCount int               `json:"affected_unit_count"`
}

// template returns the exported template as a Template, for its
// fingerprint and questions.
func (t ExchangeTemplate) template() Template {
	out := Template{HealthcareRegion: t.HealthcareRegion, Number: t.Number, Title: t.Title}
	for _, q := range t.Questions {
		out.Questions = append(out.Questions, Question{Key: q.Key, Level: q.Level, Label: q.Label, Required: q.Required})
	}
	return out
}

// NewExchange builds the export of w's gap analyses on day now: the current
// template and, per recommendation in the support's order, its gap analysis
// (an empty one when none is saved). region and healthcareRegion name the
// exporting region; system the exporting software.
func NewExchange(w Workspace, region, healthcareRegion, system string, now time.Time) Exchange {
	t := w.Template()
	x := Exchange{SchemaURL: ExchangeSchemaID, SchemaVersion: ExchangeVersion, ExportedAt: now.UTC().Truncate(time.Second),
		Source: ExchangeSource{Region: region, HealthcareRegion: healthcareRegion, System: system},
		Support: ExchangeSupport{Kind: string(w.Support.Kind), Code: w.Support.Code, Title: w.Support.Title,
			Edition: w.Support.Edition, Link: w.Support.Link},
		Template:        ExchangeTemplate{HealthcareRegion: t.HealthcareRegion, Number: t.Number, Title: t.Title, Questions: []ExchangeQuestion{}},
		Recommendations: []ExchangeRecommendation{},
	}
	asked := map[string]bool{}
	for _, q := range t.Questions {
		x.Template.Questions = append(x.Template.Questions, ExchangeQuestion{Key: q.Key, Level: q.Level, Label: q.Label, Required: q.Required})
		asked[q.Key] = true
	}
	// The file follows the workspace's current template: an analysis made
	// with an earlier version keeps only its answers to questions the
	// current version asks, so the file is always valid against itself.
	for _, r := range w.Recommendations {
		g := w.Gaps[r.ID]
		answers := map[string]string{}
		for k, a := range g.Answers {
			if a != "" && asked[k] {
				answers[k] = a
			}
		}
		x.Recommendations = append(x.Recommendations, ExchangeRecommendation{Code: r.Code, Text: r.Text,
			Gap: ExchangeGap{Size: g.Size, CrowdingOut: g.CrowdingOut, Answers: answers, AffectedUnitCount: len(g.UnitIDs)}})
	}
	return x
}

// Marshal writes x as the file: indented JSON, keys of the answers sorted,
// so the same data always gives the same bytes.
func (x Exchange) Marshal() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(x); err != nil { // only plain strings, numbers and maps of strings
		panic(fmt.Sprintf("implement: marshal exchange: %v", err))
	}
	return b.Bytes()
}

// ExchangeProblem is one problem with an import file: where it is (a JSON
// pointer, "" for the whole file) and a catalogue key with its arguments.
type ExchangeProblem struct {
	Pointer string
	Key     string
	Args    []any
}

// ExchangeErrors are the problems found in an import file. It is a
// validation error to errors.As: the web and API edges answer 422 and name
// every problem as body.<path>.
type ExchangeErrors struct {
	List []ExchangeProblem
}

// add records a problem at pointer; its message names the place as path.
func (e *ExchangeErrors) add(pointer, key string, args ...any) {
	e.List = append(e.List, ExchangeProblem{Pointer: pointer, Key: key, Args: append([]any{"path", displayPointer(pointer)}, args...)})
}

func (e *ExchangeErrors) err() error {
	if len(e.List) == 0 {
		return nil
	}
	return e
}

// Error lists the first problems, for logs and tests.
func (e *ExchangeErrors) Error() string {
	parts := make([]string, 0, 6)
	for i, p := range e.List {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(e.List)-5))
			break
		}
		parts = append(parts, strconv.Quote(p.Pointer)+": "+p.Key)
	}
	return "invalid exchange file: " + strings.Join(parts, "; ")
}

// Unwrap makes the problems a validation error.
func (e *ExchangeErrors) Unwrap() error { return e.Validation() }

// Validation returns the problems as a validation error whose fields are
// named body.<path> (the JSON pointer with dots; "file" for the whole file);
// each message names the JSON pointer too.
func (e *ExchangeErrors) Validation() *errs.ValidationError {
	v := &errs.ValidationError{}
	for _, p := range e.List {
		v.Add(pointerField(p.Pointer), p.Key, p.Args...)
	}
	return v
}

// Has reports whether a problem has key.
func (e *ExchangeErrors) Has(key string) bool {
	return slices.ContainsFunc(e.List, func(p ExchangeProblem) bool { return p.Key == key })
}

// PointerText is the pointer as shown: "/" for the whole file.
func (p ExchangeProblem) PointerText() string { return displayPointer(p.Pointer) }

func displayPointer(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

func pointerField(p string) string {
	if p == "" {
		return "file"
	}
	var b strings.Builder
	b.WriteString("body")
	for _, tok := range strings.Split(p[1:], "/") {
		b.WriteByte('.')
		b.WriteString(strings.NewReplacer("~1", "/", "~0", "~").Replace(tok))
	}
	return b.String()
}

func pointerOf(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(t))
	}
	return b.String()
}

var (
	compileOnce    sync.Once
	compiledSchema *jsonschema.Schema
)

// exchangeSchema is the compiled schema; it is embedded, so a failure to
// compile it is a programming error.
func exchangeSchema() *jsonschema.Schema {
	compileOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(exchangeSchemaJSON))
		if err != nil {
			panic(fmt.Sprintf("implement: exchange schema: %v", err))
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource(ExchangeSchemaID, doc); err != nil {
			panic(fmt.Sprintf("implement: exchange schema: %v", err))
		}
		compiledSchema = c.MustCompile(ExchangeSchemaID)
	})
	return compiledSchema
}

// ParseExchange reads an import file and checks it for comparison with an
// implementation using template ours: valid JSON of at most
// ExchangeMaxBytes, a known schema_version, valid against the schema, each
// question key and recommendation code once, answers only to the template's
// questions, and a template asking the same questions as ours (same
// fingerprint). Every problem is an *ExchangeErrors.
func ParseExchange(content []byte, ours Template) (Exchange, error) {
	var problems ExchangeErrors
	if int64(len(content)) > ExchangeMaxBytes {
		problems.add("", "implement.exchange.too_large", "max", ExchangeMaxBytes>>20)
		return Exchange{}, &problems
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(content))
	if err != nil {
		problems.add("", "implement.exchange.not_json", "error", jsonErrorText(err))
		return Exchange{}, &problems
	}
	if obj, ok := doc.(map[string]any); ok {
		if v, ok := obj["schema_version"].(string); ok && !slices.Contains(ExchangeVersions, v) {
			problems.add("/schema_version", "implement.exchange.unknown_version", "version", v, "supported", strings.Join(ExchangeVersions, ", "))
			return Exchange{}, &problems
		}
	}
	if err := exchangeSchema().Validate(doc); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return Exchange{}, fmt.Errorf("validate exchange: %w", err)
		}
		schemaProblems(&problems, ve)
		problems.List = sortProblems(problems.List)
		if len(problems.List) > maxExchangeProblems {
			problems.List = problems.List[:maxExchangeProblems]
		}
		return Exchange{}, &problems
	}
	var x Exchange
	if err := json.Unmarshal(content, &x); err != nil { // valid against the schema, so only exotic input gets here
		problems.add("", "implement.exchange.not_json", "error", jsonErrorText(err))
		return Exchange{}, &problems
	}
	checkExchange(&problems, x, ours)
	return x, problems.err()
}

// checkExchange checks what the schema cannot say.
func checkExchange(problems *ExchangeErrors, x Exchange, ours Template) {
	keys := map[string]bool{}
	for i, q := range x.Template.Questions {
		if keys[q.Key] {
			problems.add(pointerOf("template", "questions", strconv.Itoa(i), "key"), "implement.exchange.duplicate_key", "key", q.Key)
		}
		keys[q.Key] = true
	}
	codes := map[string]bool{}
	for i, r := range x.Recommendations {
		at := strconv.Itoa(i)
		if r.Code != "" && codes[r.Code] {
			problems.add(pointerOf("recommendations", at, "code"), "implement.exchange.duplicate_code", "code", r.Code)
		}
		codes[r.Code] = true
		for _, k := range sortedKeys(r.Gap.Answers) {
			if !keys[k] {
				problems.add(pointerOf("recommendations", at, "gap", "answers", k), "implement.exchange.unknown_answer", "key", k)
			}
		}
	}
	if len(problems.List) > 0 {
		return
	}
	theirs := x.Template.template()
	if theirs.Fingerprint() == ours.Fingerprint() {
		return
	}
	missing, extra, changed := questionDiff(ours, theirs)
	problems.add("/template/questions", "implement.exchange.other_questions",
		"missing", listOrDash(missing), "extra", listOrDash(extra), "changed", listOrDash(changed))
}

// questionDiff names our questions the other template lacks, its questions
// we lack, and the questions both have at another level or place.
func questionDiff(ours, theirs Template) (missing, extra, changed []string) {
	pos := func(t Template) map[string]int {
		m := map[string]int{}
		for i, q := range t.Questions {
			m[q.Key] = i
		}
		return m
	}
	op, tp := pos(ours), pos(theirs)
	for i, q := range ours.Questions {
		j, ok := tp[q.Key]
		switch {
		case !ok:
			missing = append(missing, q.Key)
		case theirs.Questions[j].Level != q.Level || j != i:
			changed = append(changed, q.Key)
		}
	}
	for _, q := range theirs.Questions {
		if _, ok := op[q.Key]; !ok {
			extra = append(extra, q.Key)
		}
	}
	return missing, extra, changed
}

func listOrDash(s []string) string {
	if len(s) == 0 {
		return "–"
	}
	return strings.Join(s, ", ")
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sortProblems(l []ExchangeProblem) []ExchangeProblem {
	slices.SortStableFunc(l, func(a, b ExchangeProblem) int {
		if c := strings.Compare(a.Pointer, b.Pointer); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	// The schema may report the same problem through several keywords.
	return slices.CompactFunc(l, func(a, b ExchangeProblem) bool {
		return a.Pointer == b.Pointer && a.Key == b.Key && fmt.Sprint(a.Args) == fmt.Sprint(b.Args)
	})
}

func jsonErrorText(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s (byte %d)", se.Error(), se.Offset)
	}
	return err.Error()
}

var englishPrinter = message.NewPrinter(language.English)

// schemaProblems adds the leaf errors of a schema validation as problems,
// each with a catalogue key for its reason.
func schemaProblems(problems *ExchangeErrors, ve *jsonschema.ValidationError) {
	if len(ve.Causes) > 0 {
		for _, c := range ve.Causes {
			schemaProblems(problems, c)
		}
		return
	}
	at := pointerOf(ve.InstanceLocation...)
	switch k := ve.ErrorKind.(type) {
	case *kind.Required:
		for _, m := range k.Missing {
			problems.add(pointerOf(append(slices.Clone(ve.InstanceLocation), m)...), "implement.exchange.reason.required")
		}
	case *kind.AdditionalProperties:
		for _, p := range k.Properties {
			problems.add(pointerOf(append(slices.Clone(ve.InstanceLocation), p)...), "implement.exchange.reason.unknown_property")
		}
	case *kind.Type:
		problems.add(at, "implement.exchange.reason.type", "want", strings.Join(k.Want, ", "), "got", k.Got)
	case *kind.Enum:
		problems.add(at, "implement.exchange.reason.enum", "want", valuesText(k.Want))
	case *kind.Const:
		problems.add(at, "implement.exchange.reason.const", "want", valuesText([]any{k.Want}))
	case *kind.MinLength:
		problems.add(at, "implement.exchange.reason.min_length", "min", k.Want)
	case *kind.MaxLength:
		problems.add(at, "implement.exchange.reason.max_length", "max", k.Want)
	case *kind.Pattern:
		problems.add(at, "implement.exchange.reason.pattern", "pattern", k.Want)
	case *kind.MinItems:
		problems.add(at, "implement.exchange.reason.min_items", "min", k.Want)
	case *kind.MaxItems:
		problems.add(at, "implement.exchange.reason.max_items", "max", k.Want)
	case *kind.Minimum:
		problems.add(at, "implement.exchange.reason.minimum", "min", k.Want.RatString())
	case *kind.Format:
		problems.add(at, "implement.exchange.reason.format", "format", k.Want)
	default:
		problems.add(at, "implement.exchange.reason.other", "reason", ve.ErrorKind.LocalizedString(englishPrinter))
	}
}

func valuesText(vs []any) string {
	parts := make([]string, 0, len(vs))
	for _, v := range vs {
		b, _ := json.Marshal(v)
		parts = append(parts, string(b))
	}
	return strings.Join(parts, ", ")
}
