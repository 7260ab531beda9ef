package implement

import "context"

// Drafter drafts text with a language model behind an OpenAI-compatible
// endpoint. It is given only what the caller puts in the prompts; the
// report's drafting puts in aggregated facts and never personal data.
type Drafter interface {
	Draft(ctx context.Context, system, user string) (string, error)
}
