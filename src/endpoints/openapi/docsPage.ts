/** Name of the generated script that starts Swagger UI (kept external so a strict CSP needs no 'unsafe-inline' script). */
export const DOCS_INIT_SCRIPT = 'crm-swagger-init.js'

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '"': '&quot;', '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;' })[char] ?? char)

/** The Swagger UI page; every asset URL is under `<apiRoute>/docs/` on this server. */
export const renderDocsPage = ({ apiRoute, title }: { apiRoute: string; title: string }): string => {
  const assets = `${apiRoute}/docs`
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)} · API docs</title>
  <link rel="stylesheet" href="${escapeHtml(assets)}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${escapeHtml(assets)}/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${escapeHtml(assets)}/swagger-ui-bundle.js"></script>
  <script src="${escapeHtml(assets)}/swagger-ui-standalone-preset.js"></script>
  <script src="${escapeHtml(assets)}/${DOCS_INIT_SCRIPT}"></script>
</body>
</html>
`
}

/** Starts Swagger UI on the document at `specUrl`. JSON.stringify makes the URL a safe JS string literal. */
export const renderDocsInitScript = ({ specUrl }: { specUrl: string }): string => `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(specUrl).replace(/</g, '\\u003c')},
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
  });
});
`
