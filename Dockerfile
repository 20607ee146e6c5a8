# For people who prefer Docker; `make run` and `make test` do not need it.
FROM node:20-bookworm AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/scss web/scss
RUN mkdir -p web/static/css && npm run -s build:css \
 && mkdir -p web/static/js web/static/images \
 && cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js web/static/js/ \
 && cp node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js web/static/js/ \
 && cp -r node_modules/govuk-frontend/dist/govuk/assets/images/. web/static/images/ \
 && cp -r node_modules/@ministryofjustice/frontend/moj/assets/images/. web/static/images/

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=assets /src/web/static/css web/static/css
COPY --from=assets /src/web/static/js web/static/js
COPY --from=assets /src/web/static/images web/static/images
RUN CGO_ENABLED=0 go build -trimpath -o /capportal ./cmd/capportal

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /capportal /capportal
EXPOSE 8080
ENTRYPOINT ["/capportal"]
CMD ["serve"]
