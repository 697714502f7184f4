// Swagger UI over the dev server's /openapi.yaml. "Authorize" takes a token from bin/token
// (builderPool for builder routes, portalPool for /portal routes).
window.ui = SwaggerUIBundle({
  url: '/openapi.yaml',
  dom_id: '#swagger-ui',
  deepLinking: true,
  docExpansion: 'list',
  tryItOutEnabled: false,
  presets: [SwaggerUIBundle.presets.apis],
});
