using Microsoft.Extensions.Options;

namespace DendriteAspire.Onboarding;

/// <summary>
/// Checks the <see cref="OnboardingOptions"/> the AppHost handed over, at start (<c>ValidateOnStart</c>): the service
/// refuses to start with every problem named, instead of failing on the first request.
/// </summary>
internal sealed class OnboardingOptionsValidation : IValidateOptions<OnboardingOptions>
{
    public ValidateOptionsResult Validate(string? name, OnboardingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
