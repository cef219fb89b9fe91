namespace DendriteAspire.ConfigRenderer.Validation;

/// <summary>How accounts are made while registration is closed, named in the findings that need it.</summary>
public static class AccountCreation
{
    /// <summary>The tools that register accounts with the shared secret: the dashboard, the Admin CLI, and Dendrite's own.</summary>
    public const string Tools = "the dashboard's \"Add family member\", `dotnet run --project Admin -- add-user`, or Dendrite's create-account";
}
