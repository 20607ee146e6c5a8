// Progressive enhancement only: every page works without JavaScript.
import { initAll as initGovUK } from '/assets/js/govuk-frontend.min.js'
import { initAll as initMOJ } from '/assets/js/moj-frontend.min.js'

initGovUK()
initMOJ()
