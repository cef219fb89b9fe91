using System.Globalization;

namespace DendriteAspire.Hosting.Kubernetes;

/// <summary>
/// Resolves model values as the cluster sees them, without a running app: an endpoint becomes its Service's DNS
/// name and port, a parameter its configured value, and an expression is formatted from those (honouring the
/// <c>uri</c> format that URL-encodes a password inside a connection URI).
/// </summary>
internal sealed class ClusterValueResolver(Func<string, string?> configuredParameter)
{
    public async Task<ClusterValue> ResolveAsync(object? value, CancellationToken cancellationToken) => value switch
    {
        null => new(string.Empty, false),
        string text => new(text, false),
        bool flag => new(flag ? "true" : "false", false),
        IFormattable formattable => new(formattable.ToString(null, CultureInfo.InvariantCulture), false),
        ParameterResource parameter => await ParameterAsync(parameter, cancellationToken).ConfigureAwait(false),
        ConnectionStringReference reference => await ResolveAsync(reference.Resource.ConnectionStringExpression, cancellationToken).ConfigureAwait(false),
        IResourceWithConnectionString resource => await ResolveAsync(resource.ConnectionStringExpression, cancellationToken).ConfigureAwait(false),
        EndpointReference endpoint => new(Url(endpoint), false),
        EndpointReferenceExpression expression => new(EndpointPropertyValue(expression), false),
        ReferenceExpression expression => await ExpressionAsync(expression, cancellationToken).ConfigureAwait(false),
        _ => throw new KubernetesPublishException($"A value of type {value.GetType().Name} cannot be published to Kubernetes yet."),
    };

    private async Task<ClusterValue> ExpressionAsync(ReferenceExpression expression, CancellationToken cancellationToken)
    {
        if (expression.IsConditional)
        {
            var condition = await ResolveAsync(expression.Condition, cancellationToken).ConfigureAwait(false);
            var branch = string.Equals(condition.Text, expression.MatchValue, StringComparison.OrdinalIgnoreCase)
                ? expression.WhenTrue
                : expression.WhenFalse;
            return await ResolveAsync(branch, cancellationToken).ConfigureAwait(false);
        }

        var arguments = new object[expression.ValueProviders.Count];
        var isSecret = false;
        for (var i = 0; i < arguments.Length; i++)
        {
            var resolved = await ResolveAsync(expression.ValueProviders[i], cancellationToken).ConfigureAwait(false);
            var format = i < expression.StringFormats.Count ? expression.StringFormats[i] : null;
            arguments[i] = format == "uri" ? Uri.EscapeDataString(resolved.Text) : resolved.Text;
            isSecret |= resolved.IsSecret;
        }

        return new(string.Format(CultureInfo.InvariantCulture, expression.Format, arguments), isSecret);
    }

    /// <summary>
    /// A parameter's value: configured (<c>Parameters:&lt;name&gt;</c> from user secrets, environment or command line),
    /// or the one Aspire generated and keeps in its deployment state, so publishing twice gives the same secret.
    /// </summary>
    private async Task<ClusterValue> ParameterAsync(ParameterResource parameter, CancellationToken cancellationToken)
    {
        var key = $"Parameters:{parameter.Name}";
        var configured = configuredParameter(parameter.Name);
        if (!string.IsNullOrEmpty(configured))
        {
            return new(configured, parameter.Secret);
        }

        try
        {
            var value = await parameter.GetValueAsync(cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(value))
            {
                return new(value, parameter.Secret);
            }
        }
        catch (MissingParameterValueException)
        {
            // Reported below with the way to fix it.
        }

        var environmentName = key.Replace(":", "__", StringComparison.Ordinal);
        throw new KubernetesPublishException(
            $"Parameter '{parameter.Name}' has no value. Set it once and keep it: "
            + $"'dotnet user-secrets set {key} <value> --project AppHost', or the environment variable {environmentName}.");
    }

    private static string Url(EndpointReference endpoint)
    {
        var annotation = Annotation(endpoint);
        return $"{annotation.UriScheme}://{endpoint.Resource.Name}:{ServicePorts.For(annotation)}";
    }

    private static string EndpointPropertyValue(EndpointReferenceExpression expression)
    {
        var annotation = Annotation(expression.Endpoint);
        var host = expression.Endpoint.Resource.Name;
        var port = ServicePorts.For(annotation).ToString(CultureInfo.InvariantCulture);
        return expression.Property switch
        {
            EndpointProperty.Url => Url(expression.Endpoint),
            EndpointProperty.Host or EndpointProperty.IPV4Host => host,
            EndpointProperty.Port => port,
            EndpointProperty.TargetPort => ServicePorts.ContainerPort(annotation).ToString(CultureInfo.InvariantCulture),
            EndpointProperty.HostAndPort => $"{host}:{port}",
            EndpointProperty.Scheme => annotation.UriScheme,
            EndpointProperty.TlsEnabled => annotation.UriScheme == "https" ? "true" : "false",
            _ => throw new KubernetesPublishException($"Endpoint property {expression.Property} cannot be published to Kubernetes."),
        };
    }

    private static EndpointAnnotation Annotation(EndpointReference endpoint) =>
        endpoint.Resource.Annotations.OfType<EndpointAnnotation>().SingleOrDefault(a => a.Name == endpoint.EndpointName)
        ?? throw new KubernetesPublishException($"Resource '{endpoint.Resource.Name}' has no endpoint '{endpoint.EndpointName}'.");
}
