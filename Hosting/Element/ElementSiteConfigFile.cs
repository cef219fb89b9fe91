using System.Globalization;

namespace DendriteAspire.Hosting;

/// <summary>
/// The nginx site Element Web is served by in a cluster: the image's own site (upstream's
/// <c>nginx/conf.d/default.conf</c>: <c>/app</c>, no caching of the version, config and index) on an unprivileged port.
/// Mounted read-only over the image's config directory, it is the only site nginx loads; an image whose entrypoint
/// renders that directory from templates reports it cannot write there and starts with this one.
/// </summary>
internal static class ElementSiteConfigFile
{
    /// <param name="port">The port nginx listens on, IPv4 and IPv6.</param>
    public static string Render(int port) => string.Create(CultureInfo.InvariantCulture, $$"""
        # Element Web, as the image serves it, on port {{port}}: the pod runs as a non-root user without capabilities,
        # which cannot bind a port below 1024 on many runtimes.
        server {
            listen       {{port}};
            listen  [::]:{{port}};
            server_name  localhost;

            root   /app;
            index  index.html;

            # No caching of the version, the config and index.html, so browsers pick up a new Element at once.
            location = /index.html {
                add_header Cache-Control "no-cache";
            }
            location = /version {
                add_header Cache-Control "no-cache";
            }
            location /config {
                add_header Cache-Control "no-cache";
            }

            error_page   500 502 503 504  /50x.html;
        }

        """);
}
