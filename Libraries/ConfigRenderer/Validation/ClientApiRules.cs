using DendriteAspire.ConfigRenderer.Model;

namespace DendriteAspire.ConfigRenderer.Validation;

/// <summary>Rules for <c>client_api</c>: registration, captcha, TURN and rate limiting.</summary>
internal static class ClientApiRules
{
    /// <summary>The fix for both registration traps, shared with the settings validation.</summary>
    public const string TokensNotEnforced =
        "tokens are not enforced by Dendrite's /register (v0.13.8 to v0.15.2), so registration is open to anyone; keep registration disabled and create accounts with the shared secret (" + AccountCreation.Tools + ")";

    public static void Check(ClientApiConfig clientApi, bool reallyEnableOpenRegistration, Findings findings)
    {
        var captcha = clientApi.EnableRegistrationCaptcha == true;
        if (clientApi.RegistrationDisabled == false && !captcha)
        {
            const string message = "is false without captcha, so anyone can register and spam from your server; enable enable_registration_captcha with its keys, or set registration_disabled back to true";
            if (reallyEnableOpenRegistration)
            {
                findings.Warning("client_api.registration_disabled", message);
            }
            else
            {
                findings.Error("client_api.registration_disabled",
                    message + " (Dendrite refuses to start this way unless run with -really-enable-open-registration)");
            }
        }

        if (clientApi.RegistrationRequiresToken == true && clientApi.RegistrationDisabled == false)
        {
            findings.Error("client_api.registration_requires_token", "is true while registration_disabled is false, but " + TokensNotEnforced);
        }

        if (captcha)
        {
            if (string.IsNullOrEmpty(clientApi.RecaptchaPublicKey))
            {
                findings.Error("client_api.recaptcha_public_key", "is empty while captcha is enabled; add the site key from your captcha provider");
            }

            if (string.IsNullOrEmpty(clientApi.RecaptchaPrivateKey))
            {
                findings.Error("client_api.recaptcha_private_key", "is empty while captcha is enabled; add the secret key from your captcha provider");
            }

            if (!string.IsNullOrEmpty(clientApi.RecaptchaSiteverifyApi) && !GlobalRules.IsHttpUrl(clientApi.RecaptchaSiteverifyApi))
            {
                findings.Error("client_api.recaptcha_siteverify_api", "must be an https:// URL; remove it to use Google's");
            }
        }

        CheckTurn(clientApi.Turn, findings);

        if (clientApi.RateLimiting is { } rateLimiting && rateLimiting.Enabled != false)
        {
            if (rateLimiting.Threshold < 0)
            {
                findings.Error("client_api.rate_limiting.threshold", "must not be negative; use e.g. 20");
            }

            if (rateLimiting.CooloffMs < 0)
            {
                findings.Error("client_api.rate_limiting.cooloff_ms", "must not be negative; use e.g. 500");
            }
        }
    }

    /// <summary>
    /// Dendrite keeps <c>turn_user_lifetime</c> as text: empty means unset, anything else must parse as a Go duration
    /// or Dendrite refuses to start (TURN.Verify in config_clientapi.go).
    /// </summary>
    private static void CheckTurn(TurnOptions? turn, Findings findings)
    {
        const string path = "client_api.turn.turn_user_lifetime";
        var lifetime = turn?.TurnUserLifetime;
        if (string.IsNullOrEmpty(lifetime))
        {
            return; // unset; with turn_uris that is a lint warning (RiskySettings)
        }

        var duration = new GoDuration(lifetime);
        if (!duration.TryGetTimeSpan(out var value))
        {
            findings.Error(path, $"\"{lifetime}\" is not a Go duration and Dendrite refuses to start; write e.g. 5m (units ns, us, ms, s, m, h), or \"\" for no TURN");
        }
        else if (value < TimeSpan.Zero)
        {
            findings.Error(path, "must not be negative; use e.g. 5m");
        }
    }
}
