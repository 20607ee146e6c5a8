package ui_test

// The access matrix (issue 14): every route the router serves, for every role, for a record the role
// may see and for records it may not, with the answer checked and every response searched for the
// other records' marker values.
//
// ADDING A ROUTE: add one line to accessMatrix below, keyed "METHOD /pattern" exactly as routes.go
// registers it, naming the record each URL parameter takes:
//
//	"GET /placements/{id}/notes": {P: mxParams{"id": placementRec}},
//
// then record what each role gets in the committed table (and read its new line: is it right?):
//
//	go test ./internal/ui -run 'TestAccessMatrix$' -update-access-matrix   # writes testdata/access_matrix.txt
//
// The test fills each parameter from the role's own records (the demo's Whitmore and Ridgeway
// records) and from each planted "other" record set (another school's student at another provider,
// a referral before its pack was sent, a case not on an agenda); a set without that kind of record
// reuses the own value. A new kind of record (a safeguarding concern, say) needs a constant below and
// an own value in ownRecords; until plantOthers also plants one in an other set (with a marker value in
// it), its routes are checked for the own record only (the policy and the committed answers), so plant
// one. Also lists extra query strings to request (a search: "q={marker}" is requested with every
// marker); Form is what a POST for another record sends (give a form that would be saved, so that a
// refusal means the record was refused); Query is part of the page's address for every request (a
// safeguarding form's ?kind=); Seers, for a page whose handler admits fewer roles than the route's
// policy (the safeguarding pages: sgRecords answers anyone else 404), makes every other role's
// answer, its own record's included, a refusal to check (their POSTs are sent). A set's opener is
// the role that must open its records (a CAP admin unless it says). A route without an entry fails
// the test.
//
// Every client has a fresh second-factor confirmation (the test-only route ui.AddStepUpForTest
// mounts), so the safeguarding pages are reached rather than sent to the confirmation page.
//
// What is asserted:
//   - each role's answer for its own record on every route is the one in the committed table
//     testdata/access_matrix.txt, so a policy widened or narrowed in routes.go shows as a changed line;
//   - a role the route's policy refuses gets 403;
//   - a role the policy admits gets 403 or 404 for a record it may not see; a POST for one (sent with
//     a form that would be saved) gets 400, 403, 404, 409 or 422, and no table changes;
//   - no 5xx for a record the role may see;
//   - no response to a role (HTML, CSV, PDF text, a redirect's address, a download's file name, in
//     any letter case) contains a marker of a record set it may not see;
//   - planting the other sets changes none of the lists and counts a scoped role sees.
//
// POSTs for records a role may see are not sent (they would change data). It prints the VERIFY| lines
// that make verify collects: requests checked, leaks (target 0), routes whose answers changed (target 0).

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/document"
	"github.com/coventry-cap/capportal/internal/panel"
	"github.com/coventry-cap/capportal/internal/placement"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
	"github.com/coventry-cap/capportal/internal/referral"
	"github.com/coventry-cap/capportal/internal/seed"
	"github.com/coventry-cap/capportal/internal/testapp"
	"github.com/coventry-cap/capportal/internal/ui"
)

// mxRec is a kind of record a URL parameter names.
type mxRec string

const (
	studentRec      mxRec = "student"
	schoolRec       mxRec = "school"
	refRec          mxRec = "ref"     // a referral, by reference or draft key
	caseRefRec      mxRec = "caseRef" // the referral of caseRec
	docRec          mxRec = "doc"     // a document of refRec
	sectionRec      mxRec = "section"
	caseRec         mxRec = "case"
	letterCaseRec   mxRec = "letterCase" // the case of an outcome letter of caseRefRec
	cohortRec       mxRec = "cohort"
	roundRec        mxRec = "round" // the round of caseRec
	panelRec        mxRec = "panel"
	yearRec         mxRec = "year"
	programmeRec    mxRec = "programme"
	providerOrgRec  mxRec = "providerOrg" // a directory provider
	userRec         mxRec = "user"
	notificationRec mxRec = "notification"
	importRec       mxRec = "import"
	placementRec    mxRec = "placement"
	changeRec       mxRec = "change"
	withdrawalRec   mxRec = "withdrawal"
	meetingRec      mxRec = "meeting"
	actionRec       mxRec = "action"
	markRec         mxRec = "mark"
	regProviderRec  mxRec = "regProvider" // the provider whose register it is
	dateRec         mxRec = "date"
	sessionRec      mxRec = "session"
	assetRec        mxRec = "asset"
	sgStudentRec    mxRec = "sgStudent" // a student, for their safeguarding chronology (whoever may see the student)
	sgRecordRec     mxRec = "sgRecord"  // a safeguarding record (a concern, a CE tool record) about sgStudentRec
	ladoRec         mxRec = "lado"      // a LADO report
)

type mxParams map[string]mxRec

// matrixEntry says how to fill a route's URL parameters, and which extra query strings to request.
type matrixEntry struct {
	P mxParams
	// Query is part of the page's address for every request, its own record's included (the kind
	// of record a safeguarding form is for: without it the page is a 404 to everyone).
	Query string
	Also  []string // query strings also requested; "{marker}" is replaced by each marker in turn
	// Seers, when set, are the only roles the page itself admits whatever the route's policy (the
	// safeguarding pages answer anyone else 404): any other role is checked as for a record it may
	// not see, its own included, so its POSTs are sent and must be refused.
	Seers []auth.Role
	// Form is what a POST sends (empty when nil), so that a refusal is not just a form's 422;
	// "{placement}" in a key or value is the record's placement ID.
	Form url.Values
}

// url is the entry's address for the records: the other set's where it has one, else the own.
func (e matrixEntry) url(pattern string, own, other map[mxRec]string) string {
	u := mxFill(pattern, e.P, own, other)
	if e.Query != "" {
		u += "?" + e.Query
	}
	return u
}

// body is the entry's form for a request about the records, with a well-formed one-time form token
// (a form without one is refused before its record is looked at).
func (e matrixEntry) body(records func(mxRec) string) url.Values {
	token := make([]byte, 16)
	_, _ = rand.Read(token)
	out := url.Values{"form_token": {hex.EncodeToString(token)}}
	for k, vs := range e.Form {
		k = strings.ReplaceAll(k, "{placement}", records(placementRec))
		for _, v := range vs {
			out.Add(k, strings.ReplaceAll(v, "{placement}", records(placementRec)))
		}
	}
	return out
}

var accessMatrix = map[string]matrixEntry{
	"GET /":                                      {},
	"GET /accessibility":                         {},
	"GET /account/password":                      {},
	"GET /account/second-factor":                 {},
	"GET /account/second-factor/confirm":         {Also: []string{"next=%2Fsafeguarding"}},
	"GET /admin/audit":                           {Also: []string{"subject={marker}", "actor={marker}"}},
	"GET /admin/programmes/new":                  {},
	"GET /admin/programmes/{id}/edit":            {P: mxParams{"id": programmeRec}},
	"GET /admin/providers/new":                   {},
	"GET /admin/providers/{id}/edit":             {P: mxParams{"id": providerOrgRec}},
	"GET /admin/rollover":                        {},
	"GET /admin/users":                           {},
	"GET /admin/users/new":                       {},
	"GET /admin/users/{id}":                      {P: mxParams{"id": userRec}},
	"GET /assets/*":                              {P: mxParams{"*": assetRec}},
	"GET /census":                                {Also: []string{"year=2026%2F27"}},
	"GET /census.csv":                            {Also: []string{"year=2026%2F27"}},
	"GET /changes":                               {Also: []string{"all=1"}},
	"GET /changes/{id}":                          {P: mxParams{"id": changeRec}},
	"GET /directory":                             {Also: []string{"q={marker}"}},
	"GET /directory/programmes/{id}":             {P: mxParams{"id": programmeRec}},
	"GET /directory/providers/{id}":              {P: mxParams{"id": providerOrgRec}},
	"GET /healthz":                               {},
	"GET /login":                                 {},
	"GET /login/second-factor":                   {},
	"GET /marks/{id}/correct":                    {P: mxParams{"id": markRec}},
	"GET /meetings/{id}":                         {P: mxParams{"id": meetingRec}},
	"GET /metrics":                               {},
	"GET /neet-risk":                             {},
	"GET /notifications":                         {},
	"GET /panels":                                {},
	"GET /panels/cohorts/{id}":                   {P: mxParams{"id": cohortRec}},
	"GET /panels/rounds/{id}":                    {P: mxParams{"id": roundRec}},
	"GET /panels/rounds/{id}/edit":               {P: mxParams{"id": roundRec}},
	"GET /panels/rounds/{id}/{panel}":            {P: mxParams{"id": roundRec, "panel": panelRec}},
	"GET /panels/rounds/{id}/{panel}/meeting":    {P: mxParams{"id": roundRec, "panel": panelRec}},
	"GET /placements":                            {Also: []string{"show=all"}},
	"GET /placements/{id}":                       {P: mxParams{"id": placementRec}},
	"GET /placements/{id}/change-of-day":         {P: mxParams{"id": placementRec}},
	"GET /placements/{id}/incidents/new":         {P: mxParams{"id": placementRec}},
	"GET /placements/{id}/meetings/new":          {P: mxParams{"id": placementRec}, Also: []string{"kind=attendance"}},
	"GET /placements/{id}/monitoring":            {P: mxParams{"id": placementRec}},
	"GET /placements/{id}/outcome":               {P: mxParams{"id": placementRec}},
	"GET /placements/{id}/plan":                  {P: mxParams{"id": placementRec}},
	"GET /placements/{id}/reviews/new":           {P: mxParams{"id": placementRec}},
	"GET /placements/{id}/withdraw":              {P: mxParams{"id": placementRec}},
	"GET /privacy":                               {},
	"GET /readyz":                                {},
	"GET /referrals":                             {Also: []string{"step=all"}},
	"GET /referrals/new":                         {},
	"GET /referrals/{ref}":                       {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/agenda":                {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/allocate":              {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/application":           {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/check":                 {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/cohort":                {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/confirmation":          {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/decide":                {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/defer":                 {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/delete":                {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/documents":             {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/documents/{doc}":       {P: mxParams{"ref": refRec, "doc": docRec}},
	"GET /referrals/{ref}/interview":             {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/letters/{case}":        {P: mxParams{"ref": caseRefRec, "case": letterCaseRec}},
	"GET /referrals/{ref}/map":                   {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/onboard":               {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/outcome":               {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/pack.pdf":              {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/placement":             {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/process":               {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/redirect":              {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/respond":               {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/return":                {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/review":                {P: mxParams{"ref": refRec}},
	"GET /referrals/{ref}/sections/{section}":    {P: mxParams{"ref": refRec, "section": sectionRec}},
	"GET /referrals/{ref}/send-pack":             {P: mxParams{"ref": refRec}},
	"GET /registers":                             {},
	"GET /registers/{provider}/{date}/{session}": {P: mxParams{"provider": regProviderRec, "date": dateRec, "session": sessionRec}},
	"GET /robots.txt":                            {},
	"GET /safeguarding":                          {},
	"GET /safeguarding/lado":                     {Seers: mxLADOReaders},
	"GET /safeguarding/lado/new":                 {Seers: mxLADOReaders},
	"GET /safeguarding/lado/{id}":                {P: mxParams{"id": ladoRec}, Seers: mxLADOReaders},
	"GET /safeguarding/lado/{id}/add":            {P: mxParams{"id": ladoRec}, Query: "kind=update", Seers: mxLADOReaders},
	"GET /safeguarding/records/{id}":             {P: mxParams{"id": sgRecordRec}, Seers: mxSafeguarders},
	"GET /safeguarding/records/{id}/add":         {P: mxParams{"id": sgRecordRec}, Query: "kind=update", Seers: mxSafeguarders},
	"GET /safeguarding/team":                     {},
	"GET /schools":                               {},
	"GET /schools/{id}":                          {P: mxParams{"id": schoolRec}},
	"GET /schools/{id}/sla/{year}":               {P: mxParams{"id": schoolRec, "year": yearRec}},
	"GET /students":                              {Also: []string{"q={marker}"}},
	"GET /students/import":                       {},
	"GET /students/new":                          {},
	"GET /students/{id}":                         {P: mxParams{"id": studentRec}},
	"GET /students/{id}/destination":             {P: mxParams{"id": studentRec}},
	"GET /students/{id}/edit":                    {P: mxParams{"id": studentRec}},
	"GET /students/{id}/hours":                   {P: mxParams{"id": studentRec}},
	"GET /students/{id}/safeguarding":            {P: mxParams{"id": sgStudentRec}, Seers: mxSafeguarders},
	"GET /students/{id}/safeguarding/new":        {P: mxParams{"id": sgStudentRec}, Query: "kind=concern", Seers: mxSafeguarders},
	"GET /withdrawals":                           {Also: []string{"all=1"}},
	"GET /withdrawals/{id}":                      {P: mxParams{"id": withdrawalRec}},

	"POST /account/password":                       {},
	"POST /account/second-factor":                  {},
	"POST /account/second-factor/confirm":          {},
	"POST /account/second-factor/recovery-codes":   {},
	"POST /actions/{id}/done":                      {P: mxParams{"id": actionRec}},
	"POST /admin/programmes":                       {},
	"POST /admin/programmes/{id}":                  {P: mxParams{"id": programmeRec}},
	"POST /admin/programmes/{id}/retire":           {P: mxParams{"id": programmeRec}},
	"POST /admin/providers":                        {},
	"POST /admin/providers/{id}":                   {P: mxParams{"id": providerOrgRec}},
	"POST /admin/providers/{id}/retire":            {P: mxParams{"id": providerOrgRec}},
	"POST /admin/rollover":                         {},
	"POST /admin/rollover/confirm":                 {},
	"POST /admin/users":                            {},
	"POST /admin/users/{id}/deactivate":            {P: mxParams{"id": userRec}},
	"POST /admin/users/{id}/reactivate":            {P: mxParams{"id": userRec}},
	"POST /admin/users/{id}/roles":                 {P: mxParams{"id": userRec}},
	"POST /admin/users/{id}/roles/revoke":          {P: mxParams{"id": userRec}},
	"POST /admin/users/{id}/second-factor/reset":   {P: mxParams{"id": userRec}},
	"POST /census":                                 {},
	"POST /changes/{id}/agree":                     {P: mxParams{"id": changeRec}, Form: form("side", "provider")},
	"POST /changes/{id}/apply":                     {P: mxParams{"id": changeRec}},
	"POST /changes/{id}/cancel":                    {P: mxParams{"id": changeRec}, Form: form("why", "Matrix check")},
	"POST /changes/{id}/submit":                    {P: mxParams{"id": changeRec}},
	"POST /login":                                  {},
	"POST /login/second-factor":                    {},
	"POST /logout":                                 {},
	"POST /marks/{id}/correct":                     {P: mxParams{"id": markRec}, Form: form("mark-{placement}", "late", "late-{placement}", "10", "why", "Matrix check")},
	"POST /neet-risk/date":                         {},
	"POST /notifications/read-all":                 {},
	"POST /notifications/{id}/read":                {P: mxParams{"id": notificationRec}},
	"POST /panels/cases/{id}/move":                 {P: mxParams{"id": caseRec}},
	"POST /panels/cohorts/{id}/offer":              {P: mxParams{"id": cohortRec}},
	"POST /panels/rounds/{id}/edit":                {P: mxParams{"id": roundRec}},
	"POST /panels/rounds/{id}/{panel}/meeting":     {P: mxParams{"id": roundRec, "panel": panelRec}},
	"POST /placements/{id}/change-of-day":          {P: mxParams{"id": placementRec}, Form: form("days", "3", "sessions", "am", "reason", "Matrix check", "impact", "Matrix check")},
	"POST /placements/{id}/incidents/new":          {P: mxParams{"id": placementRec}, Form: form("when-day", "17", "when-month", "11", "when-year", "2026", "time", "2:30pm", "what", "Matrix check", "action", "Matrix check", "cpoms", "")},
	"POST /placements/{id}/meetings/new":           {P: mxParams{"id": placementRec}, Form: form("kind", "attendance", "held-day", "20", "held-month", "11", "held-year", "2026", "completed_by", "provider", "provider", "Matrix check", "student", "no", "concerns", "Matrix check")},
	"POST /placements/{id}/outcome":                {P: mxParams{"id": placementRec}},
	"POST /placements/{id}/plan":                   {P: mxParams{"id": placementRec}},
	"POST /placements/{id}/qualifications":         {P: mxParams{"id": placementRec}},
	"POST /placements/{id}/reviews/new":            {P: mxParams{"id": placementRec}, Form: form("participants", "Matrix check", "progress-1", "Matrix check", "held-day", "20", "held-month", "11", "held-year", "2026", "next-day", "18", "next-month", "12", "next-year", "2026")},
	"POST /placements/{id}/withdraw":               {P: mxParams{"id": placementRec}, Form: form("reason", "Matrix check", "impact", "Matrix check")},
	"POST /referrals":                              {},
	"POST /referrals/{ref}/agenda":                 {P: mxParams{"ref": refRec}},
	"POST /referrals/{ref}/allocate":               {P: mxParams{"ref": refRec}},
	"POST /referrals/{ref}/cohort":                 {P: mxParams{"ref": refRec}},
	"POST /referrals/{ref}/decide":                 {P: mxParams{"ref": refRec}},
	"POST /referrals/{ref}/defer":                  {P: mxParams{"ref": refRec}},
	"POST /referrals/{ref}/delete":                 {P: mxParams{"ref": refRec}},
	"POST /referrals/{ref}/documents":              {P: mxParams{"ref": refRec}},
	"POST /referrals/{ref}/documents/{doc}/remove": {P: mxParams{"ref": refRec, "doc": docRec}},
	"POST /referrals/{ref}/interview":              {P: mxParams{"ref": refRec}, Form: form("interview-day", "30", "interview-month", "11", "interview-year", "2026", "time", "2.30 pm")},
	"POST /referrals/{ref}/letters/{case}/share":   {P: mxParams{"ref": caseRefRec, "case": letterCaseRec}},
	"POST /referrals/{ref}/map":                    {P: mxParams{"ref": refRec}},
	"POST /referrals/{ref}/onboard":                {P: mxParams{"ref": refRec}},
	"POST /referrals/{ref}/outcome":                {P: mxParams{"ref": refRec}},
	"POST /referrals/{ref}/placement":              {P: mxParams{"ref": refRec}},
	"POST /referrals/{ref}/process":                {P: mxParams{"ref": refRec}},
	"POST /referrals/{ref}/redirect":               {P: mxParams{"ref": refRec}},
	"POST /referrals/{ref}/respond":                {P: mxParams{"ref": refRec}, Form: pwRespondForm()},
	"POST /referrals/{ref}/resubmit":               {P: mxParams{"ref": refRec}},
	"POST /referrals/{ref}/return":                 {P: mxParams{"ref": refRec}},
	"POST /referrals/{ref}/review":                 {P: mxParams{"ref": refRec}},
	"POST /referrals/{ref}/sections/{section}":     {P: mxParams{"ref": refRec, "section": sectionRec}},
	"POST /referrals/{ref}/send-pack":              {P: mxParams{"ref": refRec}},
	"POST /referrals/{ref}/submit":                 {P: mxParams{"ref": refRec}},
	"POST /registers/{provider}/{date}/{session}":  {P: mxParams{"provider": regProviderRec, "date": dateRec, "session": sessionRec}, Form: form("mark-{placement}", "present")},
	"POST /safeguarding/lado/new": {Form: form("allegation", "Matrix check", "person_role", "Matrix check", "person_org", "Matrix check",
		"reported_by", "Matrix check", "received-day", "19", "received-month", "11", "received-year", "2026", "initial_info", "Matrix check"), Seers: mxLADOReaders},
	"POST /safeguarding/lado/{id}/add":     {P: mxParams{"id": ladoRec}, Query: "kind=update", Form: form("text", "Matrix check"), Seers: mxLADOReaders},
	"POST /safeguarding/records/{id}/add":  {P: mxParams{"id": sgRecordRec}, Query: "kind=update", Form: form("text", "Matrix check", "outcome", "Matrix check"), Seers: mxSafeguarders},
	"POST /schools/{id}/sla/{year}":        {P: mxParams{"id": schoolRec, "year": yearRec}},
	"POST /students":                       {},
	"POST /students/import":                {},
	"POST /students/import/{id}/confirm":   {P: mxParams{"id": importRec}},
	"POST /students/{id}":                  {P: mxParams{"id": studentRec}},
	"POST /students/{id}/destination":      {P: mxParams{"id": studentRec}},
	"POST /students/{id}/hours":            {P: mxParams{"id": studentRec}, Form: form("home", "12.5", "review-day", "8", "review-month", "1", "review-year", "2027")},
	"POST /students/{id}/safeguarding/new": {P: mxParams{"id": sgStudentRec}, Query: "kind=concern", Form: concernForm("Matrix check"), Seers: mxSafeguarders},
	"POST /withdrawals/{id}/cancel":        {P: mxParams{"id": withdrawalRec}, Form: form("why", "Matrix check")},
	"POST /withdrawals/{id}/meeting":       {P: mxParams{"id": withdrawalRec}, Form: form("held-day", "20", "held-month", "11", "held-year", "2026", "attendees", "", "notes", "Matrix check")},
	"POST /withdrawals/{id}/process":       {P: mxParams{"id": withdrawalRec}},
	"POST /withdrawals/{id}/submit":        {P: mxParams{"id": withdrawalRec}},
}

// mxSafeguarders may open safeguarding records (each further scoped); mxLADOReaders LADO reports.
var (
	mxSafeguarders = []auth.Role{auth.SchoolDSL, auth.ProviderDSL, auth.CAPDSL}
	mxLADOReaders  = []auth.Role{auth.ServiceLead}
)

// mxCAPRoles see every school's and every provider's records.
var mxCAPRoles = []auth.Role{auth.CAPAdmin, auth.MonitoringOfficer, auth.CAPDSL, auth.ServiceLead}

// otherSet is a set of records planted for the matrix: the roles that may see it, its records by
// kind, and marker values that must appear in no response to anyone else.
type otherSet struct {
	name      string
	visibleTo []auth.Role
	records   map[mxRec]string
	markers   []string
	// opener is the role that must open the set's records on every route some role opens its own
	// record on (a CAP admin when empty).
	opener auth.Role
}

func (o otherSet) openedBy() auth.Role {
	if o.opener == "" {
		return auth.CAPAdmin
	}
	return o.opener
}

func (o otherSet) visible(p *auth.Principal) bool { return p.HasAny(o.visibleTo...) }

// has reports whether the set has a record of its own for every parameter (none borrowed from the own).
func (o otherSet) has(p mxParams) bool {
	for _, k := range p {
		if _, ok := o.records[k]; !ok {
			return false
		}
	}
	return true
}

type matrixRole struct {
	role      auth.Role
	email     string
	principal *auth.Principal
	c         *testapp.Client
	own       map[mxRec]string
}

func TestAccessMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("walks every route for every role")
	}
	started := time.Now()
	// The test-only route that stands in for confirming a second-factor code, so the safeguarding
	// pages are reached rather than sent to the confirmation page.
	a := testapp.New(t, testapp.Options{ExtraRoutes: ui.AddStepUpForTest})
	ctx := context.Background()
	if _, err := seed.LoadDemoReferrals(ctx, a.Pool, a.Clock); err != nil {
		t.Fatal(err)
	}

	// Every route the router serves has an entry, and every entry names a route that exists.
	var keys []string
	served := map[string]bool{}
	for _, r := range walk(t, a) {
		key := r[0] + " " + r[1]
		if r[1] == ui.StepUpForTestPath {
			continue // mounted by this test only
		}
		served[key] = true
		e, ok := accessMatrix[key]
		if !ok {
			t.Errorf("%s has no access-matrix entry: add a line for it to accessMatrix in internal/ui/access_matrix_test.go naming the record each URL parameter takes", key)
			continue
		}
		for _, name := range patternParams(r[1]) {
			if _, ok := e.P[name]; !ok {
				t.Errorf("%s: the access-matrix entry does not say which record {%s} takes", key, name)
			}
		}
		keys = append(keys, key)
	}
	for key := range accessMatrix {
		if !served[key] {
			t.Errorf("access-matrix entry %q names no route the router serves: remove or correct it", key)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	sort.Strings(keys)

	own := ownRecords(t, a)
	roles := matrixRoles(t, a, own)

	// Lists and counts each scoped role sees before the other records exist.
	before := map[string]string{}
	for _, mr := range roles {
		if mr.principal.HasAny(mxCAPRoles...) {
			continue
		}
		for _, key := range keys {
			if u, ok := mxListURL(key); ok {
				before[mr.email+" "+u] = mxComparable(mr.c.Get(u).Body)
			}
		}
	}

	others := plantOthers(t, a)
	var allMarkers []string
	for _, o := range others {
		allMarkers = append(allMarkers, o.markers...)
	}

	checked, leaks, hiddenChecks := 0, 0, 0
	hiddenPostAnswers := map[int]int{} // status → how many POSTs for a record the role may not see got it
	leak := func(format string, args ...any) {
		leaks++
		t.Errorf("LEAK: "+format, args...)
	}
	// scan reports each marker of a set the role may not see that appears in the response.
	// A search's own query (asked) is shown back in the search box and is not a leak.
	scan := func(mr matrixRole, what, asked string, r testapp.Response) {
		text := r.Body + "\n" + r.Header.Get("Location") + "\n" + r.Header.Get("Content-Disposition")
		// The portal's own PDFs (packs, letters) are read as text; an uploaded file is searched as it is.
		if strings.Contains(r.Header.Get("Content-Type"), "pdf") && r.StatusCode == http.StatusOK && !strings.Contains(what, "/documents/") {
			text += "\n" + mxPDFText(t, what, []byte(r.Body))
		}
		text = strings.ToLower(text) // a marker in capitals (a CSV heading, a PDF) is still the marker
		for _, o := range others {
			if o.visible(mr.principal) {
				continue
			}
			for _, m := range o.markers {
				if m != asked && strings.Contains(text, strings.ToLower(m)) {
					leak("%s as %s: the response (%d) shows %q of %s", what, mr.role, r.StatusCode, m, o.name)
				}
			}
		}
	}

	// Planting the other records changes none of the lists and counts a scoped role sees.
	for _, mr := range roles {
		for _, key := range keys {
			u, ok := mxListURL(key)
			if !ok {
				continue
			}
			was, ok := before[mr.email+" "+u]
			if !ok {
				continue
			}
			if now := mxComparable(mr.c.Get(u).Body); now != was {
				leak("GET %s as %s changed when other schools' and providers' records were added: %s", u, mr.role, firstDifference(was, now))
			}
		}
	}

	var postsRefused []string
	answers := map[string][]string{} // route → each role's answer for its own record
	// Each other record is opened by its set's opener (a CAP admin, or the safeguarding role that may
	// see it), so the planted records are real.
	otherTried, otherOpened := map[string]bool{}, map[string]bool{}
	fingerprint := mxTableFingerprints(t, a)
	reachable := map[string]bool{}
	for _, key := range keys {
		method, pattern, _ := strings.Cut(key, " ")
		e := accessMatrix[key]
		policy, _ := a.Server.Routes().Policy(method, pattern)
		for _, mr := range roles {
			admitted := policy.Allows(mr.principal)
			ownURL := e.url(pattern, mr.own, nil)
			type target struct {
				url string
				set *otherSet
			}
			targets := []target{{url: ownURL}}
			for i := range others {
				if u := e.url(pattern, mr.own, others[i].records); u != ownURL {
					targets = append(targets, target{url: u, set: &others[i]})
				}
			}
			for _, tg := range targets {
				what := method + " " + tg.url
				// A role the page itself refuses (Seers) may see no record of it, its own included.
				hidden := (tg.set != nil && !tg.set.visible(mr.principal)) || (e.Seers != nil && !mr.principal.HasAny(e.Seers...))
				forWhat := "its own record, on a page only " + mxRoleNames(e.Seers) + " may open"
				if tg.set != nil {
					forWhat = tg.set.name
				}
				if method == http.MethodPost {
					if admitted && !hidden {
						if tg.set == nil {
							answers[key] = append(answers[key], string(mr.role)+"=admitted")
						}
						continue // a record the role may change: not sent, it would change data
					}
					if pattern == "/logout" || pattern == "/login" {
						continue
					}
					r := mr.c.Post(tg.url, e.body(func(k mxRec) string {
						if tg.set != nil {
							if v, ok := tg.set.records[k]; ok {
								return v
							}
						}
						return mr.own[k]
					}))
					if tg.set == nil {
						answers[key] = append(answers[key], fmt.Sprintf("%s=%d", mr.role, r.StatusCode))
					}
					checked++
					scan(mr, what, "", r)
					switch {
					case !admitted && r.StatusCode != http.StatusForbidden:
						t.Errorf("%s as %s: %d, want 403 (the route's policy does not admit %s)", what, mr.role, r.StatusCode, mr.role)
					case admitted && !slices.Contains([]int{400, 403, 404, 409, 422}, r.StatusCode):
						leak("%s as %s, for %s: %d, want it refused (403, 404 or 422)", what, mr.role, forWhat, r.StatusCode)
					}
					postsRefused = append(postsRefused, what)
					if hidden {
						hiddenChecks++
						hiddenPostAnswers[r.StatusCode]++
					}
					continue
				}
				urls := []string{tg.url}
				asked := map[string]string{}
				for _, q := range e.Also {
					if strings.Contains(q, "{marker}") {
						for _, m := range allMarkers {
							u := mxJoin(tg.url, strings.ReplaceAll(q, "{marker}", url.QueryEscape(m)))
							urls = append(urls, u)
							asked[u] = m
						}
					} else {
						urls = append(urls, mxJoin(tg.url, q))
					}
				}
				for _, u := range urls {
					r := mr.c.Get(u)
					checked++
					scan(mr, "GET "+u, asked[u], r)
					if tg.set == nil && u == tg.url {
						answers[key] = append(answers[key], fmt.Sprintf("%s=%d", mr.role, r.StatusCode))
					}
					switch {
					case r.StatusCode >= 500:
						t.Errorf("GET %s as %s: %d", u, mr.role, r.StatusCode)
					case !admitted:
						if r.StatusCode != http.StatusForbidden {
							t.Errorf("GET %s as %s: %d, want 403 (the route's policy does not admit %s)", u, mr.role, r.StatusCode, mr.role)
						}
					case hidden:
						hiddenChecks++
						if r.StatusCode != http.StatusForbidden && r.StatusCode != http.StatusNotFound {
							leak("GET %s as %s, for %s: %d, want 403 or 404", u, mr.role, forWhat, r.StatusCode)
						}
					case tg.set == nil && r.StatusCode < 400:
						reachable[key] = true
					case tg.set != nil && r.StatusCode < 400:
						otherOpened[key+" "+tg.set.name] = true
					}
					if tg.set != nil && admitted && mr.role == tg.set.openedBy() && u == tg.url && tg.set.has(e.P) {
						otherTried[key+" "+tg.set.name] = true
					}
				}
			}
		}
	}
	for _, key := range keys {
		if !reachable[key] {
			continue // a pathway step's page: below
		}
		for _, o := range others {
			if otherTried[key+" "+o.name] && !otherOpened[key+" "+o.name] {
				t.Errorf("%s: %s could not open it for %s: check the records plantOthers gives it", key, o.openedBy(), o.name)
			}
		}
	}
	// Every own record is one some role can open, so the entries point at real records. A pathway
	// step's page opens only for a referral at the step it follows: those are tried with every demo
	// referral until one opens.
	demoRefs, err := pgx.CollectRows(mxRows(t, a, `SELECT reference FROM referrals r JOIN organisations o ON o.id = r.school_id
		WHERE o.slug = 'whitmore' AND reference IS NOT NULL ORDER BY r.id`), pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range keys {
		method, pattern, _ := strings.Cut(key, " ")
		if method != http.MethodGet || reachable[key] {
			continue
		}
		policy, _ := a.Server.Routes().Policy(method, pattern)
		e := accessMatrix[key]
		if e.P["ref"] == refRec {
		tries:
			for _, ref := range demoRefs {
				for _, mr := range roles {
					if !policy.Allows(mr.principal) {
						continue
					}
					own := maps.Clone(mr.own)
					own[refRec] = ref
					if r := mr.c.Get(e.url(pattern, own, nil)); r.StatusCode < 400 {
						reachable[key] = true
						break tries
					}
				}
			}
		}
		if reachable[key] || ownOnlyRefused[pattern] {
			continue
		}
		t.Errorf("GET %s: no role could open its own record (every answer was 4xx): check the records its entry names in ownRecords, or list it in ownOnlyRefused with the reason", pattern)
	}
	// The refused POSTs changed nothing.
	after := mxTableFingerprints(t, a)
	for table, h := range fingerprint {
		if after[table] != h {
			leak("table %s changed while %d refused POSTs were sent (for records the roles may not see, or by roles the policy refuses)", table, len(postsRefused))
		}
	}

	changed := compareAccessMatrix(t, keys, answers)

	fmt.Printf("VERIFY|access matrix: routes × roles × records checked|%d|\n", checked)
	fmt.Printf("VERIFY|access matrix: leaks|%d|0\n", leaks)
	fmt.Printf("VERIFY|access matrix: routes whose answers differ from the committed matrix|%d|0\n", changed)
	t.Logf("%d routes, %d roles, %d other record sets: %d requests, %d of them for a record the role may not see (%d POSTs refused); "+
		"%d other records opened by a role that may see them; %d leaks, in %s; POSTs for records the role may not see answered %v", len(keys), len(roles), len(others),
		checked, hiddenChecks, len(postsRefused), len(otherOpened), leaks, time.Since(started).Round(time.Second), hiddenPostAnswers)
}

var updateAccessMatrix = flag.Bool("update-access-matrix", false, "rewrite testdata/access_matrix.txt with the answers TestAccessMatrix gets")

const accessMatrixFile = "testdata/access_matrix.txt"

// compareAccessMatrix holds the answers each role gets for its own record against the committed
// table, so that a policy widened or narrowed in routes.go (which the rest of the test takes as
// given) shows as a changed line to review. After an intended change, or a new route:
//
//	go test ./internal/ui -run 'TestAccessMatrix$' -update-access-matrix
func compareAccessMatrix(t *testing.T, keys []string, answers map[string][]string) (changed int) {
	t.Helper()
	var b strings.Builder
	b.WriteString("# The access matrix: what each demo role gets for a record of its own on every route (HTTP status;\n")
	b.WriteString("# \"admitted\" is a POST its policy admits, not sent). Written by TestAccessMatrix -update-access-matrix.\n")
	for _, key := range keys {
		b.WriteString(key + "\t" + strings.Join(answers[key], " ") + "\n")
	}
	if *updateAccessMatrix {
		if err := os.MkdirAll(filepath.Dir(accessMatrixFile), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(accessMatrixFile, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return 0
	}
	committed, err := os.ReadFile(accessMatrixFile)
	if err != nil {
		t.Fatalf("%v: run go test ./internal/ui -run 'TestAccessMatrix$' -update-access-matrix and commit it", err)
	}
	was := map[string]string{}
	for _, line := range strings.Split(string(committed), "\n") {
		if k, v, ok := strings.Cut(line, "\t"); ok && !strings.HasPrefix(line, "#") {
			was[k] = v
		}
	}
	for _, key := range keys {
		now := strings.Join(answers[key], " ")
		if was[key] != now {
			changed++
			t.Errorf("%s: the roles' answers changed from the committed access matrix\n\twas %s\n\tnow %s\n"+
				"if the change is intended, run go test ./internal/ui -run 'TestAccessMatrix$' -update-access-matrix and commit %s", key, was[key], now, accessMatrixFile)
		}
		delete(was, key)
	}
	for key := range was {
		changed++
		t.Errorf("%s is in the committed access matrix but no longer served: run with -update-access-matrix", key)
	}
	return changed
}

// ownOnlyRefused are GET pages whose own record no demo role may open on the demo data, because
// the page belongs to a pathway step the demo's referrals are not at (their refusal is checked
// like every other answer).
var ownOnlyRefused = map[string]bool{
	"/referrals/{ref}/respond":   true, // after an interview is recorded
	"/referrals/{ref}/placement": true, // after a response is processed
	"/referrals/{ref}/review":    true, // Supported Transfer, placed
	"/referrals/{ref}/outcome":   true, // Supported Transfer, reviewed
	"/referrals/{ref}/map":       true, // Refocus, its outcome prepared for the Multi-Agency Panel
	"/referrals/{ref}/onboard":   true, // Refocus, its outcome shared
	"/referrals/{ref}/cohort":    true, // Refocus, onboarded
}

var paramPattern = regexp.MustCompile(`\{([^}]+)\}`)

func patternParams(pattern string) []string {
	var names []string
	for _, m := range paramPattern.FindAllStringSubmatch(pattern, -1) {
		names = append(names, m[1])
	}
	if strings.HasSuffix(pattern, "/*") {
		names = append(names, "*")
	}
	return names
}

// mxFill makes a route's path from the records: the other set's where it has one, else the own.
func mxFill(pattern string, p mxParams, own, other map[mxRec]string) string {
	value := func(name string) string {
		k := p[name]
		if v, ok := other[k]; ok && other != nil {
			return v
		}
		return own[k]
	}
	out := paramPattern.ReplaceAllStringFunc(pattern, func(s string) string { return value(s[1 : len(s)-1]) })
	if strings.HasSuffix(out, "/*") {
		out = strings.TrimSuffix(out, "*") + value("*")
	}
	return out
}

func mxRoleNames(roles []auth.Role) string {
	var names []string
	for _, r := range roles {
		names = append(names, string(r))
	}
	return strings.Join(names, ", ")
}

// mxJoin adds the query string to the address, which may have one already.
func mxJoin(u, q string) string {
	if strings.Contains(u, "?") {
		return u + "&" + q
	}
	return u + "?" + q
}

// mxListURL is the address of a page without URL parameters: a list, a dashboard, a search, an export.
func mxListURL(key string) (string, bool) {
	method, pattern, _ := strings.Cut(key, " ")
	if method != http.MethodGet || strings.Contains(pattern, "{") || strings.Contains(pattern, "*") ||
		pattern == "/metrics" || pattern == "/healthz" || pattern == "/readyz" {
		return "", false
	}
	return pattern, true
}

var volatileValues = regexp.MustCompile(`(?:value|content)="[0-9a-f]{16,}"|nonce="[^"]*"|nonce-[A-Za-z0-9+/=]+|[0-9a-f]{12,}`)

// mxComparable is a page without what differs on every response (nonces, request IDs, form tokens).
func mxComparable(body string) string { return volatileValues.ReplaceAllString(body, "…") }

func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("before …%q…, after …%q…", a[from:min(len(a), i+120)], b[from:min(len(b), i+120)])
}

// mxTableFingerprints is a hash of every table's rows, except the ones every request writes to
// (sessions, the audit log, sign-in records and River's queue).
func mxTableFingerprints(t *testing.T, a *testapp.App) map[string]string {
	t.Helper()
	ctx := context.Background()
	rows, err := a.Pool.Query(ctx, `SELECT table_name::text FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
		  AND table_name NOT IN ('sessions', 'audit_log', 'schema_migrations') AND table_name NOT LIKE 'river%' AND table_name NOT LIKE 'sign_in%'
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, table := range tables {
		var h string
		q := fmt.Sprintf(`SELECT coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') FROM %s x`, pgx.Identifier{table}.Sanitize())
		if err := a.Pool.QueryRow(ctx, q).Scan(&h); err != nil {
			t.Fatalf("fingerprint %s: %v", table, err)
		}
		out[table] = h
	}
	return out
}

// mxPDFText is the text of a PDF as poppler reads it; a PDF poppler cannot read fails the test.
func mxPDFText(t *testing.T, what string, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext (poppler-utils) is needed to read the PDFs the portal serves")
	}
	file := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Errorf("%s: pdftotext cannot read the PDF served (%d bytes): %v", what, len(pdf), err)
		return ""
	}
	return string(out)
}

func mxRows(t *testing.T, a *testapp.App, sql string, args ...any) pgx.Rows {
	t.Helper()
	rows, err := a.Pool.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return rows
}

func mxString(t *testing.T, a *testapp.App, sql string, args ...any) string {
	t.Helper()
	var s string
	if err := a.Pool.QueryRow(context.Background(), sql, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

// ownRecords are the demo's records the demo roles may see: a Whitmore Park Academy student placed
// at Ridgeway Motor Skills weeks ago (so with register marks), and a panel case on an agenda.
func ownRecords(t *testing.T, a *testapp.App) map[mxRec]string {
	t.Helper()
	placementID := mxString(t, a, `SELECT p.id::text FROM placements p JOIN organisations o ON o.id = p.provider_id
		WHERE o.slug = 'ridgeway' AND EXISTS (SELECT FROM attendance_marks m WHERE m.placement_id = p.id) ORDER BY p.start_date, p.id LIMIT 1`)
	kai := mxString(t, a, `SELECT student_id::text FROM placements WHERE id = $1`, placementID)
	caseID := mxString(t, a, `SELECT id::text FROM panel_cases ORDER BY id LIMIT 1`)
	own := map[mxRec]string{
		studentRec:     kai,
		schoolRec:      mxString(t, a, `SELECT id::text FROM organisations WHERE slug = 'whitmore'`),
		refRec:         mxString(t, a, `SELECT r.reference FROM placements p JOIN referrals r ON r.id = p.referral_id WHERE p.id = $1`, placementID),
		caseRec:        caseID,
		letterCaseRec:  caseID,
		caseRefRec:     mxString(t, a, `SELECT r.reference FROM panel_cases c JOIN referrals r ON r.id = c.referral_id WHERE c.id = $1`, caseID),
		roundRec:       mxString(t, a, `SELECT round_id::text FROM panel_cases WHERE id = $1`, caseID),
		panelRec:       mxString(t, a, `SELECT panel::text FROM panel_cases WHERE id = $1`, caseID),
		sectionRec:     referral.SectionStudent,
		yearRec:        "2026-27",
		cohortRec:      mxString(t, a, `SELECT id::text FROM panel_starts WHERE capacity > 0 ORDER BY id LIMIT 1`),
		programmeRec:   mxString(t, a, `SELECT id::text FROM programmes ORDER BY id LIMIT 1`),
		providerOrgRec: mxString(t, a, `SELECT id::text FROM organisations WHERE slug = 'ridgeway'`),
		userRec:        mxString(t, a, `SELECT id::text FROM users WHERE email = 'coordinator@canleybrook.school.example'`),
		importRec:      "999999", // only ever posted to by roles the policy refuses
		placementRec:   placementID,
		regProviderRec: mxString(t, a, `SELECT id::text FROM organisations WHERE slug = 'ridgeway'`),
		dateRec:        mxString(t, a, `SELECT max(m.on_date)::text FROM attendance_marks m WHERE m.placement_id = $1`, placementID),
		sessionRec:     "am",
		markRec:        mxString(t, a, `SELECT max(id)::text FROM attendance_marks WHERE placement_id = $1`, placementID),
		assetRec:       "app.js",
	}
	own[docRec] = mxString(t, a, `SELECT d.id::text FROM referral_documents d JOIN referrals r ON r.id = d.referral_id WHERE r.reference = $1 ORDER BY d.id LIMIT 1`, own[refRec])
	// Kai's placement at Ridgeway, monitored: a review, an incident, a meeting with an action, a
	// change of day and a withdrawal, recorded through the pages.
	ids := plantMonitoring(t, a, "staff@ridgeway.provider.example", placementID, "Kai")
	for k, v := range ids {
		own[k] = v
	}
	// A concern about Kai raised by Ridgeway's DSL (so the school's DSL, Ridgeway's and CAP's team
	// see it), and a LADO report (the Service Lead's).
	rec := raise(t, sgClient(t, a, sgProviderDSL), "/students/"+kai, "concern", concernForm("Kai matrix concern"))
	own[sgStudentRec] = kai
	own[sgRecordRec] = strings.TrimPrefix(rec, "/safeguarding/records/")
	own[ladoRec] = strings.TrimPrefix(newLADO(t, sgClient(t, a, sgLead), "Matrix own report"), "/safeguarding/lado/")
	return own
}

// matrixRoles signs in one demo user for each role, with their own records: the panel member's
// referral is the one on the agenda, and each has a notification of their own.
func matrixRoles(t *testing.T, a *testapp.App, own map[mxRec]string) []matrixRole {
	t.Helper()
	logins, loginRoles := seed.DemoRoleLogins(), seed.DemoLoginRoles()
	var out []matrixRole
	for _, role := range auth.AllRoles {
		i := slices.Index(loginRoles, string(role))
		if i < 0 {
			t.Fatalf("no demo login signs in as %s: add one to seed.demoRoleLogins", role)
		}
		email := logins[i].Email
		// Each with a fresh second-factor confirmation, so the safeguarding pages are reached.
		mr := matrixRole{role: role, email: email, principal: pwActor(t, a, email).Principal, c: sgClient(t, a, email), own: map[mxRec]string{}}
		for k, v := range own {
			mr.own[k] = v
		}
		if role == auth.PanelMember {
			mr.own[refRec] = own[caseRefRec]
			mr.own[docRec] = mxString(t, a, `SELECT d.id::text FROM referral_documents d JOIN referrals r ON r.id = d.referral_id
				WHERE r.reference = $1 ORDER BY d.id LIMIT 1`, own[caseRefRec])
		}
		// The enrolment page keeps the key it first shows (a pending second factor): shown once here,
		// the walk's GETs of it change no table.
		if r := mr.c.Get("/account/second-factor"); r.StatusCode != http.StatusOK {
			t.Fatalf("%s: the second-factor page: %d", email, r.StatusCode)
		}
		uid := userIDByEmail(t, a, email)
		notifyUser(t, a, uid, "A matrix notification", "/")
		mr.own[notificationRec] = mxString(t, a, `SELECT max(id)::text FROM notifications WHERE user_id = $1`, uid)
		out = append(out, mr)
	}
	return out
}

// plantMonitoring records, through the pages as the provider's staff and the monitoring officer, a
// review, an incident, a meeting with an action, a change of day and a withdrawal on the placement,
// with the note text given, and returns their IDs.
func plantMonitoring(t *testing.T, a *testapp.App, providerStaff, placementID, note string) map[mxRec]string {
	t.Helper()
	pl := "/placements/" + placementID
	staff := pwSignedIn(t, a, providerStaff)
	officer := pwSignedIn(t, a, "monitoring@cap.example")
	ok := func(what string, r testapp.Response) {
		t.Helper()
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("plant %s on %s: %d %s", what, pl, r.StatusCode, r.Doc(t).Find(".govuk-error-summary").Text())
		}
	}
	ok("a review", staff.Post(pl+"/reviews/new", url.Values{"form_token": {tokenOf(t, staff.Get(pl+"/reviews/new"))},
		"participants": {note + " and the tutor"}, "progress-1": {note + " review progress"},
		"held-day": {"20"}, "held-month": {"11"}, "held-year": {"2026"}, "next-day": {"18"}, "next-month": {"12"}, "next-year": {"2026"}}))
	ok("an incident", staff.Post(pl+"/incidents/new", url.Values{"form_token": {tokenOf(t, staff.Get(pl+"/incidents/new"))},
		"when-day": {"17"}, "when-month": {"11"}, "when-year": {"2026"}, "time": {"2:30pm"},
		"what": {note + " incident"}, "action": {"Removed from the workshop"}, "cpoms": {""}}))
	officerID := userIDByEmail(t, a, "monitoring@cap.example")
	r := officer.Post(pl+"/meetings/new", url.Values{"form_token": {tokenOf(t, officer.Get(pl+"/meetings/new?kind=attendance"))},
		"kind": {"attendance"}, "held-day": {"20"}, "held-month": {"11"}, "held-year": {"2026"},
		"completed_by": {"monitoring_officer"}, "cap": {"Dean Hargreaves"}, "student": {"no"}, "concerns": {note + " meeting concerns"},
		"action-1": {note + " action"}, "owner-1": {formatInt(officerID)}, "due-1-day": {"27"}, "due-1-month": {"11"}, "due-1-year": {"2026"}})
	ok("a meeting", r)
	meeting := strings.TrimPrefix(strings.SplitN(r.Location(), "#", 2)[0], "/meetings/")
	out := map[mxRec]string{
		meetingRec: meeting,
		actionRec:  mxString(t, a, `SELECT max(id)::text FROM meeting_actions WHERE meeting_id = $1`, meeting),
	}
	r = staff.Post(pl+"/change-of-day", url.Values{"days": {"3"}, "sessions": {"am"}, "reason": {note + " change reason"}, "impact": {"Considered with the school."}})
	ok("a change of day", r)
	out[changeRec] = chRequestID(t, r.Location())
	r = staff.Post(pl+"/withdraw", url.Values{"reason": {note + " withdrawal reason"}, "impact": {"Considered with the school."}})
	ok("a withdrawal", r)
	out[withdrawalRec] = chRequestID(t, r.Location())
	return out
}

// mxSubmitted submits a complete referral of the student to the programme as the school's
// coordinator, with the marker in its free-text answers and a risk assessment attached.
func mxSubmitted(t *testing.T, a *testapp.App, coordinator string, studentID, programmeID int64, marker string) referral.Referral {
	t.Helper()
	ctx := context.Background()
	store := pwStore(a)
	coord := pwActor(t, a, coordinator)
	schoolID := pwInt(t, a, `SELECT school_id FROM students WHERE id = $1`, studentID)
	token := make([]byte, 8)
	_, _ = rand.Read(token)
	draft, _, err := store.Start(ctx, coord, referral.StartInput{SchoolID: schoolID, StudentID: studentID, ProgrammeID: programmeID, Token: hex.EncodeToString(token)})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	today := calendar.Today(a.Clock)
	answers := pwAnswers(draft, today)
	for k, v := range answers {
		if strings.HasPrefix(v, "An answer about") {
			answers[k] = v + " " + marker
		}
	}
	noCommissioning := true
	if err := store.SaveAnswers(ctx, coord, draft, answers, &noCommissioning); err != nil {
		t.Fatalf("save answers: %v", err)
	}
	checked, err := document.Validate("risk-assessment.pdf", pwPDF)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.AddDocument(ctx, coord, draft, document.Upload{Kind: document.RiskAssessment, Checked: checked, Data: pwPDF,
		CompletedOn: today, Template: document.CAPTemplate}); err != nil {
		t.Fatalf("add the risk assessment: %v", err)
	}
	if draft, err = store.Get(ctx, coord, draft.Key()); err != nil {
		t.Fatal(err)
	}
	ref, err := store.Submit(ctx, coord, draft)
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return ref
}

// plantOthers adds the records the demo roles may not see, each with marker values: Canley Brook's
// students under marker names (another school's students), one placed at Lumen Academy (another
// provider's learner) with its monitoring, register marks, change of day and withdrawal; one referred
// to Ridgeway whose pack has not been sent; one referred to Flourish and not on any agenda. A fourth
// set names another referral's document and another case's letter under the own referral.
func plantOthers(t *testing.T, a *testapp.App) []otherSet {
	t.Helper()
	ctx := context.Background()
	rename := func(first, newFirst, newLast string) (int64, string) {
		var id int64
		var upn string
		if err := a.Pool.QueryRow(ctx, `UPDATE students SET legal_first_name = $2, legal_last_name = $3, preferred_first_name = ''
			WHERE legal_first_name = $1 RETURNING id, upn`, first, newFirst, newLast).Scan(&id, &upn); err != nil {
			t.Fatalf("rename %s: %v", first, err)
		}
		return id, upn
	}
	canley := mxString(t, a, `SELECT id::text FROM organisations WHERE slug = 'canleybrook'`)
	lumen := mxString(t, a, `SELECT id::text FROM organisations WHERE slug = 'lumen'`)

	// Another school's student, placed at another provider.
	freya, freyaUPN := rename("Freya", "Quillanmarka", "Zephyrmarkova")
	placementID := placementtest.Create(t, a.Pool, placementtest.Spec{StudentID: freya, Provider: "lumen", Start: calendar.NewDate(2026, time.November, 2), Days: []int32{1, 2}})
	pid := formatInt(placementID)
	monTake(t, a, "staff@lumen.provider.example", "lumen", calendar.NewDate(2026, time.November, 17), placement.Afternoon, nil)
	placed := plantMonitoring(t, a, "staff@lumen.provider.example", pid, "Xyzzymarkone")
	placed[studentRec] = formatInt(freya)
	placed[schoolRec] = canley
	placed[placementRec] = pid
	placed[refRec] = mxString(t, a, `SELECT r.reference FROM placements p JOIN referrals r ON r.id = p.referral_id WHERE p.id = $1`, pid)
	placed[regProviderRec] = lumen
	placed[dateRec] = "2026-11-17"
	placed[sessionRec] = "pm"
	placed[markRec] = mxString(t, a, `SELECT max(id)::text FROM attendance_marks WHERE placement_id = $1`, pid)
	canleyCoordinator := userIDByEmail(t, a, pwOtherCoordinator)
	notifyUser(t, a, canleyCoordinator, "Xyzzymarknote for Canley Brook", "/")
	placed[notificationRec] = mxString(t, a, `SELECT max(id)::text FROM notifications WHERE user_id = $1`, canleyCoordinator)

	// Another school's referral to Ridgeway, before its pack was sent.
	harvey, harveyUPN := rename("Harvey", "Brackenmarkus", "Wolvermarkson")
	toRidgeway := mxSubmitted(t, a, pwOtherCoordinator, harvey, pwInt(t, a, `SELECT p.id FROM programmes p JOIN organisations o ON o.id = p.organisation_id
		WHERE o.slug = 'ridgeway' AND p.kind = 'course' AND p.active AND 11 = ANY(p.year_groups) ORDER BY p.id LIMIT 1`), "Xyzzymarktwo")
	unsent := map[mxRec]string{studentRec: formatInt(harvey), schoolRec: canley, refRec: toRidgeway.Reference,
		docRec: mxString(t, a, `SELECT max(id)::text FROM referral_documents WHERE referral_id = $1`, toRidgeway.ID)}

	// Another school's Flourish referral, not on an agenda.
	maisie, maisieUPN := rename("Maisie", "Corvinamarkel", "Thistlemarkby")
	flourish := mxSubmitted(t, a, pwOtherCoordinator, maisie, paFlourish(t, a), "Xyzzymarkthree")
	offAgenda := map[mxRec]string{studentRec: formatInt(maisie), schoolRec: canley, refRec: flourish.Reference, caseRefRec: flourish.Reference,
		docRec: mxString(t, a, `SELECT max(id)::text FROM referral_documents WHERE referral_id = $1`, flourish.ID)}
	if n := pwInt(t, a, `SELECT count(*) FROM panel_cases WHERE referral_id = $1`, flourish.ID); n != 0 {
		t.Fatalf("the Flourish referral is on %d agendas", n)
	}
	_ = panel.Panels

	// Safeguarding records the demo's safeguarding roles may not see. A concern about Canley Brook's
	// student placed at Lumen, raised by Lumen's DSL (another school's DSL, another provider's):
	// only CAP's safeguarding team of the demo roles may see it.
	if _, err := a.Pool.Exec(ctx, `WITH u AS (INSERT INTO users (email, name, password_hash)
			SELECT 'dsl@lumen.provider.example', 'Simon Redfern', password_hash FROM users WHERE email = $1 RETURNING id)
		INSERT INTO memberships (user_id, organisation_id, role, granted_at) SELECT u.id, $2, 'provider_dsl', $3 FROM u`,
		sgProviderDSL, lumen, a.Clock.Now()); err != nil {
		t.Fatalf("Lumen's DSL: %v", err)
	}
	lumenDSL := sgClient(t, a, "dsl@lumen.provider.example")
	concern := raise(t, lumenDSL, "/students/"+formatInt(freya), "concern", concernForm("Xyzzysgconcern"))
	if r := add(t, lumenDSL, concern, "kind=update", url.Values{"text": {"Xyzzysgupdate"}, "outcome": {"Agreed"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("an update on Lumen's concern: %d", r.StatusCode)
	}
	lumenConcern := map[mxRec]string{sgStudentRec: formatInt(freya), sgRecordRec: strings.TrimPrefix(concern, "/safeguarding/records/")}
	// A CE tool record by CAP's team about the Canley Brook student referred to Ridgeway, not placed
	// there: Ridgeway's DSL may not see it.
	ce := raise(t, sgClient(t, a, sgCAPDSL), "/students/"+formatInt(harvey), "ce_tool", url.Values{"indicator": {"phones", "travel"},
		"evidence-phones": {"Evidence Xyzzysgcetool"}, "evidence-travel": {"Seen Xyzzysgcetool"}, "text": {"Xyzzysgcetool"}})
	capCETool := map[mxRec]string{sgStudentRec: formatInt(harvey), sgRecordRec: strings.TrimPrefix(ce, "/safeguarding/records/")}
	// A LADO report: the Service Lead's only, not even the safeguarding roles'.
	lado := map[mxRec]string{ladoRec: strings.TrimPrefix(newLADO(t, sgClient(t, a, sgLead), "Xyzzysglado"), "/safeguarding/lado/")}

	// Another referral's document and another case's letter, named under a referral the role may see:
	// nobody may open them that way.
	crossed := map[mxRec]string{docRec: unsent[docRec],
		letterCaseRec: mxString(t, a, `SELECT c.id::text FROM panel_cases c JOIN referrals r ON r.id = c.referral_id
			WHERE r.id <> (SELECT c2.referral_id FROM panel_cases c2 ORDER BY c2.id LIMIT 1)
			ORDER BY c.id LIMIT 1`)}

	return []otherSet{
		{name: "another referral's document or letter under a referral the role may see", records: crossed},
		{name: "another school's student at another provider", visibleTo: mxCAPRoles, records: placed,
			markers: []string{"Quillanmarka", "Zephyrmarkova", freyaUPN, placed[refRec], "Xyzzymarkone", "Xyzzymarknote"}},
		{name: "a referral before its pack was sent", visibleTo: mxCAPRoles, records: unsent,
			markers: []string{"Brackenmarkus", "Wolvermarkson", harveyUPN, toRidgeway.Reference, "Xyzzymarktwo"}},
		{name: "a case not on an agenda", visibleTo: mxCAPRoles, records: offAgenda,
			markers: []string{"Corvinamarkel", "Thistlemarkby", maisieUPN, flourish.Reference, "Xyzzymarkthree"}},
		{name: "another provider's concern about another school's student", visibleTo: []auth.Role{auth.CAPDSL}, records: lumenConcern,
			markers: []string{"Xyzzysgconcern", "Xyzzysgupdate"}, opener: auth.CAPDSL},
		{name: "a CE tool record about a student not placed with the provider", visibleTo: []auth.Role{auth.CAPDSL}, records: capCETool,
			markers: []string{"Xyzzysgcetool"}, opener: auth.CAPDSL},
		{name: "a LADO report", visibleTo: []auth.Role{auth.ServiceLead}, records: lado, markers: []string{"Xyzzysglado"}, opener: auth.ServiceLead},
	}
}
