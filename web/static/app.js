// Progressive enhancement only: every page works without JavaScript.
import { initAll as initGovUK } from '/assets/js/govuk-frontend.min.js'
import { initAll as initMOJ } from '/assets/js/moj-frontend.min.js'

initGovUK()
initMOJ()

// A mark's radios reveal what each needs (the minutes late, the reason for an absence, why there
// was no session). GOV.UK Frontend's own radios script would do this, but it puts aria-expanded on
// the radios, which ARIA does not allow there (axe's aria-allowed-attr); this does the same without
// it. Without JavaScript every reveal shows.
document.querySelectorAll('[data-app-reveals]').forEach((group) => {
  const inputs = group.querySelectorAll('input[type="radio"]')
  const sync = () => {
    inputs.forEach((input) => {
      const id = input.getAttribute('data-app-reveal')
      const target = id && document.getElementById(id)
      if (target) target.classList.toggle('govuk-radios__conditional--hidden', !input.checked)
    })
  }
  inputs.forEach((input) => input.addEventListener('change', sync))
  sync()
})

// A section of a form that only applies to one answer of a question (data-app-when="decision=accept")
// is hidden until that answer is chosen. Without JavaScript every section shows, headed by the answer
// it applies to, and the server ignores the sections that do not apply.
document.querySelectorAll('[data-app-when]').forEach((section) => {
  const [name, value] = section.getAttribute('data-app-when').split('=')
  const form = section.closest('form')
  if (!form || !name) return
  const radios = form.querySelectorAll('input[type="radio"][name="' + name + '"]')
  const sync = () => {
    const chosen = form.querySelector('input[type="radio"][name="' + name + '"]:checked')
    section.hidden = !chosen || chosen.value !== value
  }
  radios.forEach((input) => input.addEventListener('change', sync))
  sync()
})
