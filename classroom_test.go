package workbook_test

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/socketbook/socketbook/internal/grade"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// The workflow a course copies must be the one GitHub Classroom expects,
// and feed its reporter what the reporter reads. The reporter
// (classroom-resources/autograding-grading-reporter) takes the runner ids
// in its input `runners`, reads each one's results as base64 JSON from the
// environment variable <ID>_RESULTS, sums the tests' scores against
// max_score, fails the job on status fail or error, and posts the points
// on the check run named "Autograding Tests".
func TestClassroomWorkflow(t *testing.T) {
	data, err := os.ReadFile("docs/grade-workflow.yml")
	require.NoError(t, err)
	var wf struct {
		Name        string            `yaml:"name"`
		On          []string          `yaml:"on"`
		Permissions map[string]string `yaml:"permissions"`
		Jobs        map[string]struct {
			Name  string `yaml:"name"`
			Steps []struct {
				ID   string            `yaml:"id"`
				Uses string            `yaml:"uses"`
				Run  string            `yaml:"run"`
				Env  map[string]string `yaml:"env"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	require.NoError(t, yaml.Unmarshal(data, &wf), "the workflow is not valid YAML")
	assert.Equal(t, "Autograding Tests", wf.Name)
	assert.Subset(t, wf.On, []string{"push", "repository_dispatch"}, "Classroom starts the workflow with repository_dispatch")
	assert.Equal(t, "write", wf.Permissions["checks"], "the reporter updates a check run")
	require.Len(t, wf.Jobs, 1)
	for _, job := range wf.Jobs {
		assert.Equal(t, "Autograding Tests", job.Name, "the reporter posts the points on the check run of this name")
		outputs := map[string]bool{} // steps.ID.outputs.result of steps that write one
		reported := false
		for _, step := range job.Steps {
			if strings.Contains(step.Run, "go run ./tools/runner -json report.json") && strings.Contains(step.Run, "base64 -w0 report.json") {
				outputs["${{ steps."+step.ID+".outputs.result }}"] = true
			}
			if !strings.HasPrefix(step.Uses, "classroom-resources/autograding-grading-reporter@") {
				continue
			}
			reported = true
			for _, runner := range strings.Split(step.With["runners"], ",") {
				env := strings.ToUpper(strings.TrimSpace(runner)) + "_RESULTS"
				assert.True(t, outputs[step.Env[env]], "the reporter reads %s, which must be the runner step's base64 report; got %q", env, step.Env[env])
			}
		}
		assert.True(t, reported, "no step hands the results to Classroom's reporter")
	}
}

// What the runner writes has every field the reporter reads, and what it
// shows: name, status, message, score, max_score, and where each test is.
func TestClassroomReport(t *testing.T) {
	res := grade.NewResult([]grade.Report{{Lesson: grade.Lesson{Name: "01-echo", Dir: "/w/lessons/01-echo"}, Scenarios: []grade.Scenario{
		{Lesson: "01-echo", Name: "hello", Status: grade.Pass, File: "/w/lessons/01-echo/testdata/hello.txtar"},
		{Lesson: "01-echo", Name: "utf8", Status: grade.Fail, File: "/w/lessons/01-echo/testdata/utf8.txtar",
			Failure: &grade.Failure{File: "lessons/01-echo/testdata/utf8.txtar", Line: 7, Reason: "they differ"}},
	}}})
	data, err := json.Marshal(res)
	require.NoError(t, err)
	// The reporter gets it through base64, as the workflow sends it.
	decoded, err := base64.StdEncoding.DecodeString(base64.StdEncoding.EncodeToString(data))
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(decoded, &got))
	assert.Equal(t, "fail", got["status"])
	assert.Equal(t, float64(2), got["max_score"])
	tests := got["tests"].([]any)
	require.Len(t, tests, 2)
	for _, raw := range tests {
		test := raw.(map[string]any)
		for _, key := range []string{"name", "status", "score", "max_score", "test_code", "filename", "line_no", "duration"} {
			assert.Contains(t, test, key)
		}
	}
	failed := tests[1].(map[string]any)
	assert.Equal(t, "lessons/01-echo/testdata/utf8.txtar", failed["filename"])
	assert.Equal(t, float64(7), failed["line_no"])
	assert.NotEmpty(t, failed["message"])
}
