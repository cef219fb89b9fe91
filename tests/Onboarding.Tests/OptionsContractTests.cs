using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DendriteAspire.Onboarding.Tests;

/// <summary>
/// What the AppHost hands the service is one typed contract (<see cref="OnboardingOptions"/>), validated at start:
/// a missing or wrong value stops the service with its name instead of failing on the first request.
/// </summary>
public class OptionsContractTests
{
    [Theory]
    [InlineData("Onboarding:InviteSecret", "", "Onboarding:InviteSecret: is required")]
    [InlineData("Onboarding:ServerName", " ", "Onboarding:ServerName: is required")]
    [InlineData("Onboarding:DendriteUrl", "ftp://dendrite", "Onboarding:DendriteUrl: \"ftp://dendrite/\" is not an absolute http(s) URL")]
    [InlineData("Onboarding:RoomOwnerUserName", "", "Onboarding:RoomOwnerUserName: is required")]
    [InlineData("Onboarding:MaximumExpiryHours", "0", "Onboarding:MaximumExpiryHours: 0 must be 1 or more")]
    public void A_missing_or_wrong_value_stops_the_start_naming_it(string key, string value, string problem)
    {
        using var factory = new OnboardingFactory();
        using var broken = factory.WithWebHostBuilder(builder => builder.UseSetting(key, value));

        var error = Assert.ThrowsAny<Exception>(() => broken.CreateClient());
        var validation = Assert.IsType<OptionsValidationException>(error is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : error);
        Assert.Contains(validation.Failures, f => f.StartsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void The_options_the_factory_sets_like_the_AppHost_have_no_problems()
    {
        using var factory = new OnboardingFactory();
        using var client = factory.CreateClient();

        Assert.Empty(factory.Services.GetRequiredService<IOptions<OnboardingOptions>>().Value.Problems());
    }

    [Fact]
    public void Every_environment_variable_names_a_key_of_the_contract()
    {
        Assert.Equal("Onboarding__InviteSecret", OnboardingOptions.EnvironmentVariable(nameof(OnboardingOptions.InviteSecret)));
        Assert.Throws<ArgumentException>(() => OnboardingOptions.EnvironmentVariable("InviteSecrett"));
    }
}
