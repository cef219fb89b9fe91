using YamlDotNet.Serialization;

namespace DendriteAspire.ConfigRenderer.Model;

/// <summary>The <c>client_api</c> section (setup/config/config_clientapi.go).</summary>
public sealed class ClientApiConfig
{
    [YamlMember(Alias = "registration_disabled")] public bool? RegistrationDisabled { get; set; }
    [YamlMember(Alias = "registration_requires_token")] public bool? RegistrationRequiresToken { get; set; }
    [YamlMember(Alias = "guests_disabled")] public bool? GuestsDisabled { get; set; }
    [YamlMember(Alias = "registration_shared_secret")] public string? RegistrationSharedSecret { get; set; }
    [YamlMember(Alias = "enable_registration_captcha")] public bool? EnableRegistrationCaptcha { get; set; }
    [YamlMember(Alias = "recaptcha_public_key")] public string? RecaptchaPublicKey { get; set; }
    [YamlMember(Alias = "recaptcha_private_key")] public string? RecaptchaPrivateKey { get; set; }
    [YamlMember(Alias = "recaptcha_bypass_secret")] public string? RecaptchaBypassSecret { get; set; }
    [YamlMember(Alias = "recaptcha_siteverify_api")] public string? RecaptchaSiteverifyApi { get; set; }
    [YamlMember(Alias = "recaptcha_api_js_url")] public string? RecaptchaApiJsUrl { get; set; }
    [YamlMember(Alias = "recaptcha_sitekey_class")] public string? RecaptchaSitekeyClass { get; set; }
    [YamlMember(Alias = "recaptcha_form_field")] public string? RecaptchaFormField { get; set; }
    [YamlMember(Alias = "turn")] public TurnOptions? Turn { get; set; }
    [YamlMember(Alias = "rate_limiting")] public RateLimitingOptions? RateLimiting { get; set; }
}

/// <summary>TURN server details handed to clients for calls.</summary>
public sealed class TurnOptions
{
    /// <summary>
    /// A Go duration as text. Dendrite keeps it a string and parses it only when it is not empty, so <c>""</c> means
    /// unset (TURN.Verify in config_clientapi.go).
    /// </summary>
    [YamlMember(Alias = "turn_user_lifetime")] public string? TurnUserLifetime { get; set; }
    [YamlMember(Alias = "turn_uris")] public List<string>? TurnUris { get; set; }
    [YamlMember(Alias = "turn_shared_secret")] public string? TurnSharedSecret { get; set; }
    [YamlMember(Alias = "turn_username")] public string? TurnUsername { get; set; }
    [YamlMember(Alias = "turn_password")] public string? TurnPassword { get; set; }
}

public sealed class RateLimitingOptions
{
    [YamlMember(Alias = "enabled")] public bool? Enabled { get; set; }
    [YamlMember(Alias = "threshold")] public long? Threshold { get; set; }
    [YamlMember(Alias = "cooloff_ms")] public long? CooloffMs { get; set; }
    [YamlMember(Alias = "exempt_user_ids")] public List<string>? ExemptUserIds { get; set; }
}
