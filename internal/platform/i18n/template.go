package i18n

import (
	"fmt"
	"io/fs"
	"slices"
	"text/template/parse"
)

// translateFuncs are the template functions whose first argument is a message key.
var translateFuncs = []string{"t", "tn", "targs"}

// TemplateKeys returns the message keys that the templates matching patterns
// in fsys use literally, as in {{t "key"}}, (tn "key" n) or {{"key" | t}},
// each with the sorted names of the files using it. Keys computed at run time,
// as in {{t .Key}}, cannot be found this way. A pattern that matches no file is
// an error, as in html/template.ParseFS.
func TemplateKeys(fsys fs.FS, patterns ...string) (map[string][]string, error) {
	var names []string
	for _, p := range patterns {
		matches, err := fs.Glob(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("template keys: %w", err)
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("template keys: pattern %q matches no files", p)
		}
		names = append(names, matches...)
	}
	slices.Sort(names)
	names = slices.Compact(names)

	keys := make(map[string][]string)
	for _, name := range names {
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("template keys: %w", err)
		}
		used, err := templateKeys(name, string(text))
		if err != nil {
			return nil, fmt.Errorf("template keys: %w", err)
		}
		for _, key := range used {
			keys[key] = append(keys[key], name)
		}
	}
	return keys, nil
}

// templateKeys parses one template file and returns the keys it uses, sorted.
func templateKeys(name, text string) ([]string, error) {
	trees := make(map[string]*parse.Tree)
	t := parse.New(name)
	t.Mode = parse.SkipFuncCheck
	if _, err := t.Parse(text, "", "", trees); err != nil {
		return nil, err
	}
	var keys []string
	found := func(key string) { keys = append(keys, key) }
	walk(t.Root, found)
	for _, tree := range trees {
		walk(tree.Root, found)
	}
	slices.Sort(keys)
	return slices.Compact(keys), nil
}

// walk calls found for each literal message key under node.
func walk(node parse.Node, found func(string)) {
	switch n := node.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walk(c, found)
		}
	case *parse.ActionNode:
		walk(n.Pipe, found)
	case *parse.IfNode:
		walkBranch(&n.BranchNode, found)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, found)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, found)
	case *parse.TemplateNode:
		walk(n.Pipe, found)
	case *parse.ChainNode:
		walk(n.Node, found)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for i, cmd := range n.Cmds {
			if i > 0 && isTranslateFunc(cmd.Args) && len(cmd.Args) == 1 {
				// {{"key" | t}}: the key is the previous command's result.
				if prev := n.Cmds[i-1].Args; len(prev) == 1 {
					if s, ok := prev[0].(*parse.StringNode); ok {
						found(s.Text)
					}
				}
			}
			walk(cmd, found)
		}
	case *parse.CommandNode:
		if isTranslateFunc(n.Args) && len(n.Args) >= 2 {
			if s, ok := n.Args[1].(*parse.StringNode); ok {
				found(s.Text)
			}
		}
		for _, a := range n.Args {
			walk(a, found)
		}
	}
}

func walkBranch(b *parse.BranchNode, found func(string)) {
	walk(b.Pipe, found)
	walk(b.List, found)
	walk(b.ElseList, found)
}

// isTranslateFunc reports whether a command's arguments start with a translate function.
func isTranslateFunc(args []parse.Node) bool {
	if len(args) == 0 {
		return false
	}
	id, ok := args[0].(*parse.IdentifierNode)
	return ok && slices.Contains(translateFuncs, id.Ident)
}
