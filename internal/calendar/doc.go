// Package calendar is the single source of truth for dates in the portal:
// calendar days in Europe/London, England and Wales bank holidays, working
// days, academic years and an injectable clock.
//
// Statutory and local deadlines ("within three working days", "by the end of
// term") must all be computed here so that every part of the service agrees
// on what counts as a working day and which academic year a date belongs to.
package calendar
