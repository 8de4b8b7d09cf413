package editions

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A page and its translation, in step. Each test below breaks one thing
// and reads the message.
const en = "# Lesson 01 — echo\n" + // 1
	"\n" +
	"Read [the server](server/main.go) and do [the exercises](#exercises).\n" + // 3
	"\n" +
	"## Run it\n" + // 5
	"\n" +
	"```console\n" + // 7
	"$ go run ./server\n" +
	"listening on 127.0.0.1:1234\n" +
	"```\n" +
	"\n" +
	"| a | b |\n" + // 12
	"| --- | --- |\n" +
	"| 1 | 2 |\n" +
	"\n" +
	"## Exercises\n" + // 16
	"\n" +
	"1. **Upper.** Check: `go run ./tools/runner -exercise 01/1`.\n" + // 18
	"2. **Look.** Then `go run ./tools/runner -answer 01/2`.\n"

const zh = "[English](README.md) · 中文\n" + // 1
	"\n" +
	"# 第 01 课 — echo\n" + // 3
	"\n" +
	"读[服务端](server/main.go)，做[练习](#练习)。\n" + // 5
	"\n" +
	"## 运行\n" + // 7
	"\n" +
	"```console\n" + // 9
	"$ go run ./server\n" +
	"listening on 127.0.0.1:1234\n" +
	"```\n" +
	"\n" +
	"| a | b |\n" + // 14
	"| --- | --- |\n" +
	"| 1 | 2 |\n" +
	"\n" +
	"## 练习\n" + // 18
	"\n" +
	"1. **大写。** 检查：`go run ./tools/runner -exercise 01/1`。\n" + // 20
	"2. **观察。** 然后 `go run ./tools/runner -answer 01/2`。\n"

var lesson = Pair{English: "lessons/01-echo/README.md", Chinese: "lessons/01-echo/README.zh-CN.md"}

// check compares two editions of lesson 01's README; the root README's
// pair exists too, so links between pages can be checked.
func check(t *testing.T, enText, zhText string) error {
	t.Helper()
	book := fstest.MapFS{
		"README.md":                 {Data: []byte("# Root\n\n## Start here\n")},
		"README.zh-CN.md":           {Data: []byte("[English](README.md) · 中文\n\n# 根\n\n## 从这里开始\n")},
		"lessons/01-echo/README.md": {Data: []byte(enText)},
	}
	if zhText != "" {
		book["lessons/01-echo/README.zh-CN.md"] = &fstest.MapFile{Data: []byte(zhText)}
	}
	pairs := []Pair{{"README.md", "README.zh-CN.md"}, lesson}
	return Check(book, pairs, lesson)
}

// edit replaces old, which must be in s, with new.
func edit(t *testing.T, s, old, new string) string {
	t.Helper()
	require.Contains(t, s, old)
	return strings.Replace(s, old, new, 1)
}

func TestInStep(t *testing.T) {
	assert.NoError(t, check(t, en, zh))
	// The English edition's switch to the Chinese one is not compared,
	// nor are links to the glossary.
	assert.NoError(t, check(t, "[中文](README.zh-CN.md)\n\n"+en, zh))
	assert.NoError(t, check(t, en, edit(t, zh, "读", "先看[术语表](../../docs/glossary.md)，再读")))
}

func TestPairs(t *testing.T) {
	book := fstest.MapFS{
		"README.md":                       {},
		"docs/grading.md":                 {},
		"docs/glossary.md":                {},
		"lessons/01-echo/README.md":       {},
		"lessons/02-concurrent/README.md": {},
	}
	pairs, err := Pairs(book)
	require.NoError(t, err)
	assert.Equal(t, []Pair{
		{"README.md", "README.zh-CN.md"},
		{"docs/grading.md", "docs/grading.zh-CN.md"},
		{"lessons/01-echo/README.md", "lessons/01-echo/README.zh-CN.md"},
		{"lessons/02-concurrent/README.md", "lessons/02-concurrent/README.zh-CN.md"},
	}, pairs, "the glossary is one page in both languages")
}

func TestNoChineseEdition(t *testing.T) {
	assert.EqualError(t, check(t, en, ""),
		"lessons/01-echo/README.md has no Chinese edition: translate it into lessons/01-echo/README.zh-CN.md (docs/glossary.md lists the terms)")
}

func TestSwitchLine(t *testing.T) {
	assert.EqualError(t, check(t, en, strings.TrimPrefix(zh, "[English](README.md) · 中文\n\n")),
		`lessons/01-echo/README.zh-CN.md:1: the first line must be "[English](README.md) · 中文", the link to the English edition, then a blank line`)
}

func TestHeadings(t *testing.T) {
	t.Run("lacking", func(t *testing.T) {
		err := check(t, en, edit(t, zh, "## 运行\n", ""))
		assert.EqualError(t, err, `lessons/01-echo/README.zh-CN.md lacks the heading "## Run it" (lessons/01-echo/README.md:5); `+
			`it belongs after the heading "# 第 01 课 — echo" (lessons/01-echo/README.zh-CN.md:3)`,
			"#练习 names the second heading now, #exercises the third, yet they name partners: only the heading is reported")
	})
	t.Run("extra", func(t *testing.T) {
		err := check(t, en, edit(t, zh, "## 练习\n", "### 多出来的\n\n## 练习\n"))
		assert.EqualError(t, err, `lessons/01-echo/README.md lacks the heading "### 多出来的" (lessons/01-echo/README.zh-CN.md:18); `+
			`it belongs after the heading "## Run it" (lessons/01-echo/README.md:5)`)
	})
	t.Run("level", func(t *testing.T) {
		err := check(t, en, edit(t, zh, "## 运行\n", "### 运行\n"))
		assert.EqualError(t, err, `lessons/01-echo/README.zh-CN.md:7: the heading "### 运行" does not match the heading "## Run it" (lessons/01-echo/README.md:5): level 3 here, 2 there`)
		// A link to the changed heading still names its partner.
		err = check(t, edit(t, en, "(#exercises)", "(#run-it)"), edit(t, edit(t, zh, "(#练习)", "(#运行)"), "## 运行\n", "### 运行\n"))
		assert.EqualError(t, err, `lessons/01-echo/README.zh-CN.md:7: the heading "### 运行" does not match the heading "## Run it" (lessons/01-echo/README.md:5): level 3 here, 2 there`)
	})
	t.Run("number", func(t *testing.T) {
		err := check(t, en, edit(t, zh, "# 第 01 课", "# 第一课"))
		assert.ErrorContains(t, err, `the heading "# 第一课 — echo" does not match the heading "# Lesson 01 — echo" (lessons/01-echo/README.md:1): numbers [] here, [01] there`)
	})
	t.Run("code", func(t *testing.T) {
		err := check(t, edit(t, en, "## Run it", "## Run it with `go run`"), zh)
		assert.ErrorContains(t, err, "code [] here, [`go run`] there")
	})
	t.Run("alike headings told apart by place", func(t *testing.T) {
		// B and C are both "##" with no number or code; B's code block
		// stays, so the message names B, not C.
		e := "# A\n\n## B\n\n```\nb\n```\n\n## C\n\ntext\n"
		z := "[English](README.md) · 中文\n\n# 甲\n\n```\nb\n```\n\n## 丙\n\n文字\n"
		assert.EqualError(t, check(t, e, z), `lessons/01-echo/README.zh-CN.md lacks the heading "## B" (lessons/01-echo/README.md:3); `+
			`it belongs after the heading "# 甲" (lessons/01-echo/README.zh-CN.md:3)`)
	})
	t.Run("inside a code block is not a heading", func(t *testing.T) {
		z := edit(t, zh, "$ go run ./server\n", "# not a heading\n")
		e := edit(t, en, "$ go run ./server\n", "# not a heading\n")
		assert.NoError(t, check(t, e, z))
	})
}

func TestCodeBlocks(t *testing.T) {
	t.Run("changed", func(t *testing.T) {
		err := check(t, en, edit(t, zh, "listening on 127.0.0.1:1234", "正在监听 127.0.0.1:1234"))
		assert.EqualError(t, err, `lessons/01-echo/README.zh-CN.md:9: the code block "$ go run ./server" does not match the code block "$ go run ./server" (lessons/01-echo/README.md:7): `+
			`its line 3 is "正在监听 127.0.0.1:1234" here, "listening on 127.0.0.1:1234" there; code blocks are the same in both editions, byte for byte`)
	})
	t.Run("one more line", func(t *testing.T) {
		err := check(t, en, edit(t, zh, "1234\n```", "1234\n\n```"))
		assert.ErrorContains(t, err, "its line 4 is \"\" here, \"```\" there")
	})
	t.Run("lacking", func(t *testing.T) {
		err := check(t, edit(t, en, "## Exercises\n", "```text\nmore\n```\n\n## Exercises\n"), zh)
		assert.ErrorContains(t, err, `lessons/01-echo/README.zh-CN.md lacks the code block "more" (lessons/01-echo/README.md:16); `+
			`it belongs after the code block "$ go run ./server" (lessons/01-echo/README.zh-CN.md:9)`)
	})
	t.Run("fences", func(t *testing.T) {
		// Indented (in a list item), tildes, and a longer fence that
		// holds a shorter one.
		p := parse("x.md", "1. item\n\n   ```go\n   x := 1\n   ```\n\n~~~\n# no\n~~~\n\n````md\n```\n[no](link)\n```\n````\n")
		require.Len(t, p.blocks, 3)
		assert.Equal(t, "   ```go\n   x := 1\n   ```", p.blocks[0].text)
		assert.Equal(t, []int{3, 7, 11}, []int{p.blocks[0].line, p.blocks[1].line, p.blocks[2].line})
		assert.Empty(t, p.headings)
		assert.Empty(t, p.links)
	})
}

func TestLinks(t *testing.T) {
	t.Run("lacking", func(t *testing.T) {
		err := check(t, en, edit(t, zh, "[服务端](server/main.go)", "服务端"))
		assert.EqualError(t, err, `lessons/01-echo/README.zh-CN.md lacks the link "server/main.go" (lessons/01-echo/README.md:3); it belongs before the link "#练习" (lessons/01-echo/README.zh-CN.md:5)`)
	})
	t.Run("changed", func(t *testing.T) {
		err := check(t, en, edit(t, zh, "(server/main.go)", "(client/main.go)"))
		assert.ErrorContains(t, err, `lessons/01-echo/README.zh-CN.md:5: the link "client/main.go" does not match the link "server/main.go"`)
	})
	t.Run("anchor to the other heading", func(t *testing.T) {
		err := check(t, en, edit(t, zh, "(#练习)", "(#运行)"))
		assert.ErrorContains(t, err, `the link "#运行" does not match the link "#exercises"`)
	})
	t.Run("anchor naming no heading", func(t *testing.T) {
		err := check(t, en, edit(t, zh, "(#练习)", "(#exercises)"))
		assert.EqualError(t, err, `lessons/01-echo/README.zh-CN.md:5: the link "#exercises" does not match the link "#exercises" (lessons/01-echo/README.md:3): `+
			`it names no heading here (GitHub's anchor for a heading is its text in lower case, spaces as hyphens, punctuation dropped)`)
		// The same broken anchor in both editions is found too.
		err = check(t, edit(t, en, "(#exercises)", "(#exercise)"), edit(t, zh, "(#练习)", "(#exercise)"))
		assert.EqualError(t, err, `lessons/01-echo/README.md:3: the link "#exercise" names no heading: `+
			`GitHub's anchor for a heading is its text in lower case, spaces as hyphens, punctuation dropped`)
	})
	t.Run("to a heading one edition lacks", func(t *testing.T) {
		// The heading is the news, not the link that names it.
		err := check(t, en, edit(t, zh, "## 练习\n", ""))
		assert.ErrorContains(t, err, `lessons/01-echo/README.zh-CN.md lacks the heading "## Exercises" (lessons/01-echo/README.md:16)`)
		assert.ErrorContains(t, err, "(also different: links)")
	})
	t.Run("anchor percent-encoded", func(t *testing.T) {
		assert.NoError(t, check(t, en, edit(t, zh, "(#练习)", "(#%E7%BB%83%E4%B9%A0)")))
	})
	t.Run("to the Chinese edition of another page", func(t *testing.T) {
		e := edit(t, en, "(server/main.go)", "(../../README.md#start-here)")
		assert.NoError(t, check(t, e, edit(t, zh, "(server/main.go)", "(../../README.zh-CN.md#从这里开始)")))
		err := check(t, e, edit(t, zh, "(server/main.go)", "(../../README.md#start-here)"))
		assert.EqualError(t, err, `lessons/01-echo/README.zh-CN.md:5: the link "../../README.md#start-here" leads to the English edition; link "../../README.zh-CN.md", the Chinese one`)
	})
	t.Run("code spans and autolinks", func(t *testing.T) {
		p := parse("x.md", "`[no](a)` and ``two `[no](b)` ``, a span\nacross `lines [no](c)\nstill` then [yes](d), <https://go.dev/> and a ` lone backtick [yes](e)\n")
		var got []string
		for _, l := range p.links {
			got = append(got, l.target)
		}
		assert.Equal(t, []string{"d", "https://go.dev/", "e"}, got)
		assert.Equal(t, 3, p.links[0].line)
	})
}

func TestTables(t *testing.T) {
	err := check(t, en, edit(t, zh, "| 1 | 2 |\n", ""))
	assert.EqualError(t, err, `lessons/01-echo/README.zh-CN.md:14: the table "| a | b |" does not match the table "| a | b |" (lessons/01-echo/README.md:12): 2 rows here, 3 there`)

	err = check(t, en, edit(t, zh, "| a | b |\n| --- | --- |\n| 1 | 2 |\n", ""))
	assert.ErrorContains(t, err, `lessons/01-echo/README.zh-CN.md lacks the table "| a | b |" (lessons/01-echo/README.md:12)`)
}

func TestExerciseNumbers(t *testing.T) {
	err := check(t, en, edit(t, zh, "2. **观察。**", "3. **观察。**"))
	assert.EqualError(t, err, `lessons/01-echo/README.zh-CN.md:21: the numbered item "3." does not match the numbered item "2." (lessons/01-echo/README.md:19): the numbers differ`)

	err = check(t, en, edit(t, zh, "-answer 01/2", "-answer 01/3"))
	assert.EqualError(t, err, `lessons/01-echo/README.zh-CN.md:21: the exercise "01/3" does not match the exercise "01/2" (lessons/01-echo/README.md:19): the exercises differ`)

	p := parse("x.md", "go 1.23, 127.0.0.1/8, 10.0.0.10/24, 2026/11, lessons/01-echo, `exercise 02/1`, 05/10\n")
	var refs []string
	for _, r := range p.refs {
		refs = append(refs, r.text)
	}
	assert.Equal(t, []string{"02/1", "05/10"}, refs)
}

func TestOnlyTheEarliestDifferenceIsShown(t *testing.T) {
	z := edit(t, zh, "| 1 | 2 |\n", "")
	z = edit(t, z, "-answer 01/2", "-answer 01/3")
	z = edit(t, z, "## 运行", "### 运行")
	err := check(t, en, z)
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), `lessons/01-echo/README.zh-CN.md:7: the heading "### 运行"`), err.Error())
	assert.True(t, strings.HasSuffix(err.Error(), "(also different: tables, exercise references)"), err.Error())
}

func TestSlug(t *testing.T) {
	for text, want := range map[string]string{
		"Streams, not messages":                      "streams-not-messages",
		"The handshake, and watching it with `ss`":   "the-handshake-and-watching-it-with-ss",
		"Lesson 01 — echo: the life of a TCP socket": "lesson-01--echo-the-life-of-a-tcp-socket",
		"Watch TIME_WAIT":                            "watch-time_wait",
		"From Python to Go":                          "from-python-to-go",
		"流，而不是消息":                                    "流而不是消息",
		"三次握手，用 `ss` 观察":                             "三次握手用-ss-观察",
		"第 01 课 — echo：TCP 套接字的一生":                   "第-01-课--echotcp-套接字的一生",
		"See [the server](server/main.go)":           "see-the-server",
	} {
		assert.Equal(t, want, slug(text), text)
	}
	p := parse("x.md", "## Notes\n\n## Notes\n\n## Notes\n")
	assert.Equal(t, []string{"notes", "notes-1", "notes-2"}, []string{p.headings[0].slug, p.headings[1].slug, p.headings[2].slug})
}
