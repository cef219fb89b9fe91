using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DendriteAspire.Hosting.Configuration;
using DendriteAspire.Hosting.Kubernetes;
using Microsoft.Extensions.Configuration;

namespace DendriteAspire.AppHost.Tests;

public class ClusterValueResolverTests
{
    [Fact]
    public async Task A_parameter_without_a_value_is_a_clear_error_naming_the_key()
    {
        var parameter = new ParameterResource("family-secret", _ => throw new MissingParameterValueException("no value"), secret: true);
        var resolver = new ClusterValueResolver(ConfiguredValues.Parameters(new ConfigurationBuilder().Build()));

        var error = await Assert.ThrowsAsync<KubernetesPublishException>(() => resolver.ResolveAsync(parameter, TestContext.Current.CancellationToken));
        Assert.Contains("Parameters:family-secret", error.Message, StringComparison.Ordinal);
        Assert.Contains("Parameters__family-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configured_secret_parameters_resolve_and_stay_marked_secret()
    {
        var parameter = new ParameterResource("family-secret", _ => "unused", secret: true);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Parameters:family-secret"] = "a b/c" }).Build();
        var resolver = new ClusterValueResolver(ConfiguredValues.Parameters(configuration));

        var value = await resolver.ResolveAsync(ReferenceExpression.Create($"x://{parameter:uri}@h"), TestContext.Current.CancellationToken);
        Assert.Equal("x://a%20b%2Fc@h", value.Text);
        Assert.True(value.IsSecret);
    }
}
