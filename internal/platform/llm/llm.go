// Package llm drafts text with a language model behind an OpenAI-compatible
// chat-completions endpoint (OpenAI, Azure OpenAI in compatible mode, or a
// model served locally with vLLM, Ollama or llama.cpp). It is off unless an
// endpoint is configured, and it sends only the prompts it is given.
package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/openai/openai-go"
	"github.com/openai/openai-go/option"
)

// APIKeyEnv names the environment variable holding the endpoint's API key,
// kept out of flags and configuration files.
const APIKeyEnv = "KUNSKAPSNAV_LLM_API_KEY"

// DefaultTimeout bounds one drafting request.
const DefaultTimeout = 60 * time.Second

// ErrFailed wraps every failure of the endpoint: unreachable, timed out, an
// error status or an answer without text.
var ErrFailed = errors.New("llm: drafting failed")

// Config is where the model is served.
type Config struct {
	// URL is the endpoint's base URL, e.g. "https://api.openai.com/v1"; the
	// client posts to URL + "/chat/completions".
	URL string
	// Model is the model's name, e.g. "gpt-4o-mini".
	Model string
	// APIKey is sent as a bearer token when set.
	APIKey string
	// Timeout bounds one request; zero is DefaultTimeout.
	Timeout time.Duration
	// HTTPClient is used instead of the default client when set (tests).
	HTTPClient *http.Client
}

// Enabled reports whether an endpoint is configured.
func (c Config) Enabled() bool { return strings.TrimSpace(c.URL) != "" }

// Redacted is the URL as it may be logged: without user information, query
// or fragment, where a key might hide.
func (c Config) Redacted() string {
	u, err := url.Parse(strings.TrimSpace(c.URL))
	if err != nil {
		return "(unparsable URL)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}

// Validate checks a configured endpoint: an http(s) URL and a model.
func (c Config) Validate() error {
	if !c.Enabled() {
		return nil
	}
	u := strings.TrimSpace(c.URL)
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return fmt.Errorf("llm: the URL %q must begin with http:// or https://", c.Redacted())
	}
	if strings.TrimSpace(c.Model) == "" {
		return errors.New("llm: a model is required when the URL is set")
	}
	return nil
}

// Client drafts text at one endpoint with one model. It is safe for
// concurrent use.
type Client struct {
	api     openai.Client
	model   string
	timeout time.Duration
}

// New returns a client for c, which must be enabled and valid.
func New(c Config) (*Client, error) {
	if !c.Enabled() {
		return nil, errors.New("llm: no URL configured")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	opts := []option.RequestOption{
		option.WithBaseURL(strings.TrimRight(strings.TrimSpace(c.URL), "/") + "/"),
		option.WithMaxRetries(0),
		option.WithRequestTimeout(timeout),
	}
	if c.APIKey != "" {
		opts = append(opts, option.WithAPIKey(c.APIKey))
	}
	if c.HTTPClient != nil {
		opts = append(opts, option.WithHTTPClient(c.HTTPClient))
	}
	return &Client{api: openai.NewClient(opts...), model: strings.TrimSpace(c.Model), timeout: timeout}, nil
}

// Draft asks the model for a text given a system and a user prompt, and
// returns its answer trimmed. Any failure wraps ErrFailed.
func (c *Client) Draft(ctx context.Context, system, user string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	resp, err := c.api.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
		Model:       c.model,
		Messages:    []openai.ChatCompletionMessageParamUnion{openai.SystemMessage(system), openai.UserMessage(user)},
		Temperature: openai.Float(0.2),
	})
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrFailed, err)
	}
	if len(resp.Choices) == 0 {
		return "", fmt.Errorf("%w: the answer holds no choice", ErrFailed)
	}
	text := strings.TrimSpace(resp.Choices[0].Message.Content)
	if text == "" {
		return "", fmt.Errorf("%w: the answer is empty", ErrFailed)
	}
	return text, nil
}
