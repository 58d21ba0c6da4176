package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The YAML decoder reports type errors and unknown fields by line
// ("line 14: cannot unmarshal !!int `-1` into uint64"), and a line may
// hold several settings (`trust: {mode: finality, confirmations: -1}`).
// typeProblems turns each into a Problem at the setting's path, found in
// the document's node tree by line and by the value or key the message
// names.

var (
	lineMsg     = regexp.MustCompile(`^line (\d+): (.*)$`)
	cannotMsg   = regexp.MustCompile("^cannot unmarshal (!!\\w+) `(.*)` into (.+)$")
	notFoundMsg = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
)

// nodeAt is a scalar value or mapping key of the document and its path.
type nodeAt struct {
	path  string
	key   bool // a mapping key (its path is the setting's)
	value string
	line  int
}

// walkNodes lists the keys and values of n with their paths.
func walkNodes(n *yaml.Node, path string, out *[]nodeAt) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			walkNodes(c, path, out)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			*out = append(*out, nodeAt{path: p, key: true, value: k.Value, line: k.Line})
			walkNodes(v, p, out)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			walkNodes(c, fmt.Sprintf("%s[%d]", path, i), out)
		}
	default:
		*out = append(*out, nodeAt{path: path, value: n.Value, line: n.Line})
	}
}

// typeProblems maps the decoder's type errors to problems at paths.
func typeProblems(doc *yaml.Node, errs []string) Problems {
	var nodes []nodeAt
	walkNodes(doc, "", &nodes)
	var out Problems
	for _, e := range errs {
		m := lineMsg.FindStringSubmatch(e)
		if m == nil {
			out = append(out, Problem{Msg: e})
			continue
		}
		line, _ := strconv.Atoi(m[1])
		msg := m[2]
		find := func(key bool, value string) string {
			first := ""
			for _, n := range nodes {
				if n.line != line || n.key != key {
					continue
				}
				if n.value == value {
					return n.path
				}
				if first == "" {
					first = n.path
				}
			}
			return first
		}
		switch {
		case cannotMsg.MatchString(msg):
			c := cannotMsg.FindStringSubmatch(msg)
			out = append(out, Problem{Path: find(false, c[2]), Msg: fmt.Sprintf("%s %q is not %s", yamlKind(c[1]), c[2], goKind(c[3]))})
		case notFoundMsg.MatchString(msg):
			f := notFoundMsg.FindStringSubmatch(msg)[1]
			out = append(out, Problem{Path: find(true, f), Msg: "unknown setting (misspelt, or in the wrong section): field " + f + " not found"})
		default:
			out = append(out, Problem{Path: find(false, ""), Msg: fmt.Sprintf("line %d: %s", line, msg)})
		}
	}
	return out
}

func yamlKind(tag string) string {
	switch tag {
	case "!!int":
		return "the number"
	case "!!float":
		return "the decimal"
	case "!!str":
		return "the text"
	case "!!bool":
		return "the boolean"
	case "!!seq":
		return "a list"
	case "!!map":
		return "a section"
	}
	return strings.TrimPrefix(tag, "!!")
}

func goKind(t string) string {
	switch t {
	case "uint64", "uint", "uint32":
		return "a whole number of 0 or more"
	case "int", "int64", "int32":
		return "a whole number"
	case "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "string":
		return "text"
	case "time.Duration":
		return "a duration (like 500ms, 30s, 2h)"
	}
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["), strings.HasPrefix(t, "config."), strings.HasPrefix(t, "struct"):
		return "a section"
	}
	return "a " + t
}
