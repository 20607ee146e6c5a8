# CAP Portal. `make run` and `make test` do all the set-up on a fresh clone.
SHELL := /bin/bash
BIN   := bin/capportal

GOVUK := node_modules/govuk-frontend/dist/govuk
MOJ   := node_modules/@ministryofjustice/frontend/moj

.PHONY: run test verify build assets generate check bench clean devdb-start devdb-stop screenshots

run: build ## Serve the portal with demo data at http://localhost:8080
	@scripts/run.sh

test: assets generate ## Run every test against real PostgreSQL and a real browser
	@scripts/test.sh

verify: assets generate ## Issue 14's proofs (access, hostile input, outage, shutdown, backups, logs, fuzzing) in one table; FUZZTIME=30s a target
	@scripts/verify.sh

build: assets generate
	go build -o $(BIN) ./cmd/capportal

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

assets: node_modules/.installed ## Brand CSS (Sass), GOV.UK and MOJ JavaScript and images
	@mkdir -p web/static/js web/static/images web/static/css
	cp $(GOVUK)/govuk-frontend.min.js web/static/js/govuk-frontend.min.js
	cp $(MOJ)/moj-frontend.min.js web/static/js/moj-frontend.min.js
	cp -r $(GOVUK)/assets/images/. web/static/images/
	cp -r $(MOJ)/assets/images/. web/static/images/
	npm run -s build:css

generate: ## templ code generation (the generated files are committed)
	@go tool templ generate -log-level error

check: generate ## What CI checks besides the tests: formatting, vet, generated files and go.mod up to date
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt would change:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	go vet ./...
	go mod tidy
	@git diff --exit-code -- go.mod go.sum '*_templ.go' || { echo "templ generate or go mod tidy changed committed files: commit them"; exit 1; }

bench: assets generate ## The portal under load at scale factors 1 and 10 against the stack's floor (docs/scaling.md)
	@scripts/bench.sh

devdb-start:
	@scripts/devdb.sh start
devdb-stop:
	@scripts/devdb.sh stop

clean:
	rm -rf bin web/static/js web/static/images web/static/css

screenshots: assets generate ## Retake the README's screenshots from the browser journeys
	@CAP_SCREENSHOTS=docs CAP_E2E=required PKGS="./internal/e2e ./internal/ui" scripts/test.sh -count=1
