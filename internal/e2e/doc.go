// Package e2e holds the browser journeys: the real portal on a real database, driven through Debian's
// chromium, with axe-core checking every page visited. The screenshots they take are the README's.
package e2e
