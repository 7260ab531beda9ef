package implement

// Compared is two exchange files side by side, recommendation by
// recommendation (matched by code).
type Compared struct {
	// Questions are the basic questions of our template, whose answers the
	// comparison shows.
	Questions []ExchangeQuestion `json:"questions"`
	// Rows are the recommendations both files have, in our order.
	Rows []ComparedRow `json:"rows"`
	// OnlyOurs and OnlyTheirs are the recommendations only one file has
	// (those without a code are never matched).
	OnlyOurs   []ExchangeRecommendation `json:"only_ours"`
	OnlyTheirs []ExchangeRecommendation `json:"only_theirs"`
	// Differ counts the rows whose gap sizes differ.
	Differ int `json:"differ"`
}

// ComparedRow is one recommendation in both files.
type ComparedRow struct {
	Code        string       `json:"code"`
	Text        string       `json:"text" doc:"Our wording"`
	Ours        ExchangeGap  `json:"ours"`
	Theirs      ExchangeGap  `json:"theirs"`
	SizeDiffers bool         `json:"size_differs"`
	Answers     []AnswerPair `json:"answers" doc:"Both answers to each basic question"`
}

// AnswerPair is our and their answer to one question.
type AnswerPair struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Ours   string `json:"ours"`
	Theirs string `json:"theirs"`
}

// Compare sets the files ours and theirs side by side.
func Compare(ours, theirs Exchange) Compared {
	c := Compared{Questions: []ExchangeQuestion{}, Rows: []ComparedRow{}, OnlyOurs: []ExchangeRecommendation{}, OnlyTheirs: []ExchangeRecommendation{}}
	for _, q := range ours.Template.Questions {
		if q.Level == Basic {
			c.Questions = append(c.Questions, q)
		}
	}
	byCode := map[string]ExchangeRecommendation{}
	for _, r := range theirs.Recommendations {
		if r.Code != "" {
			byCode[r.Code] = r
		}
	}
	matched := map[string]bool{}
	for _, r := range ours.Recommendations {
		t, ok := byCode[r.Code]
		if r.Code == "" || !ok || matched[r.Code] {
			c.OnlyOurs = append(c.OnlyOurs, r)
			continue
		}
		matched[r.Code] = true
		row := ComparedRow{Code: r.Code, Text: r.Text, Ours: r.Gap, Theirs: t.Gap, SizeDiffers: r.Gap.Size != t.Gap.Size, Answers: []AnswerPair{}}
		for _, q := range c.Questions {
			row.Answers = append(row.Answers, AnswerPair{Key: q.Key, Label: q.Label, Ours: r.Gap.Answers[q.Key], Theirs: t.Gap.Answers[q.Key]})
		}
		if row.SizeDiffers {
			c.Differ++
		}
		c.Rows = append(c.Rows, row)
	}
	for _, r := range theirs.Recommendations {
		if r.Code == "" || !matched[r.Code] {
			c.OnlyTheirs = append(c.OnlyTheirs, r)
		}
	}
	return c
}
