package priority

import "github.com/kunskapsnav/kunskapsnav/internal/platform/date"

// Defaults is DefaultRound worded in Swedish, the language of the region's
// records: what a round created without its own title, instructions, scale
// or criteria gets.
func (s *Service) Defaults(year int, deadline date.Date) Round {
	return DefaultRound(year, deadline, func(key string) string { return s.say(key) })
}
