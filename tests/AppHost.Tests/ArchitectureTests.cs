using System.Reflection;
using System.Reflection.Emit;
using System.Xml.Linq;
using DendriteAspire.Hosting;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// The direction of every reference (docs/architecture.md), checked over the built assemblies and the project files:
/// the Kubernetes publisher knows no Dendrite, Element, onboarding or Postgres type; only the binder
/// (<c>DendriteAspire.Hosting.Configuration</c>) reads configuration; no library references a CLI or any other
/// executable project. Types are compared by what the compiled code uses (signatures, IL operands, catch clauses),
/// so a reference cannot hide in a method body.
/// </summary>
public class ArchitectureTests
{
    private const string KubernetesNamespace = "DendriteAspire.Hosting.Kubernetes";
    private const string ConfigurationNamespace = "DendriteAspire.Hosting.Configuration";
    private const string ResourcesNamespace = "DendriteAspire.Hosting";

    /// <summary>
    /// Shared by every part, not Dendrite's: the settings error every check throws and the exit code it ends with.
    /// </summary>
    private static readonly HashSet<string> SharedSettingsContract = ["DendriteAspire.Hosting.DendriteSettingsException", "DendriteAspire.Hosting.DendriteAppHost"];

    private static readonly Assembly Hosting = typeof(DendriteResource).Assembly;

    [Fact]
    public void Kubernetes_code_references_no_resource_type_and_no_Postgres_type()
    {
        var violations = ReferencesFrom(t => t.Namespace == KubernetesNamespace)
            .Where(r => r.Used.Assembly == Hosting && r.Used.Namespace == ResourcesNamespace && !SharedSettingsContract.Contains(r.Used.FullName!)
                || (r.Used.Namespace ?? "").StartsWith("Aspire.Hosting.Postgres", StringComparison.Ordinal)
                || r.Used.Name.StartsWith("Postgres", StringComparison.Ordinal))
            .Select(r => $"{r.User} uses {r.Used.FullName}")
            .Distinct()
            .ToList();

        Assert.True(violations.Count == 0, "The Kubernetes publisher must read annotations, not resource types:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void Only_the_binder_reads_configuration()
    {
        var violations = ReferencesFrom(t => t.Namespace != ConfigurationNamespace)
            .Where(r => (r.Used.Namespace ?? "").StartsWith("Microsoft.Extensions.Configuration", StringComparison.Ordinal))
            .Select(r => $"{r.User} uses {r.Used.FullName}")
            .Distinct()
            .ToList();

        Assert.True(violations.Count == 0, $"Configuration is read in {ConfigurationNamespace} only:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void The_checks_see_what_they_look_for()
    {
        // The binder itself must show up, or the two tests above could pass by seeing nothing.
        Assert.Contains(ReferencesFrom(t => t.Namespace == ConfigurationNamespace),
            r => r.Used.FullName == "Microsoft.Extensions.Configuration.IConfiguration");
        Assert.Contains(ReferencesFrom(t => t.Namespace == ResourcesNamespace),
            r => r.Used.FullName == "DendriteAspire.Hosting.Kubernetes.KubernetesObjectsContext");
        Assert.Contains(ReferencesFrom(t => t.Namespace == KubernetesNamespace),
            r => r.Used.FullName == "DendriteAspire.Hosting.DendriteSettingsException");
    }

    [Fact]
    public void No_library_references_a_cli_or_any_other_executable_project()
    {
        var projects = Directory.GetFiles(RepositoryRoot.Path, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var libraries = projects.Where(p => !IsExecutable(p) && !IsUnder(p, "tests") && !IsUnder(p, "bench")).ToList();
        Assert.Contains(libraries, p => p.EndsWith("DendriteAspire.Admin.csproj", StringComparison.Ordinal));
        Assert.Contains(libraries, p => p.EndsWith("Hosting.csproj", StringComparison.Ordinal));

        var violations = new List<string>();
        foreach (var library in libraries)
        {
            foreach (var reference in ProjectReferences(library).Where(IsExecutable))
            {
                violations.Add($"{Path.GetRelativePath(RepositoryRoot.Path, library)} references {Path.GetRelativePath(RepositoryRoot.Path, reference)}");
            }
        }

        foreach (var assembly in new[] { Hosting, typeof(Admin.Accounts.FamilyAccounts).Assembly, typeof(ConfigRenderer.Settings.DendriteSettings).Assembly })
        {
            violations.AddRange(assembly.GetReferencedAssemblies()
                .Where(a => a.Name!.EndsWith(".Cli", StringComparison.Ordinal) || a.Name is "DendriteAspire.AppHost" or "DendriteAspire.Onboarding")
                .Select(a => $"{assembly.GetName().Name} references {a.Name}"));
        }

        Assert.True(violations.Count == 0, "Libraries are referenced by CLIs, never the other way:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void Every_public_member_of_Hosting_documents_its_parameters_and_result()
    {
        var docs = XDocument.Load(Path.ChangeExtension(Hosting.Location, ".xml"));
        var members = docs.Descendants("member").ToDictionary(m => (string)m.Attribute("name")!, m => m);
        var missing = new List<string>();
        foreach (var type in Hosting.GetExportedTypes().Where(t => !typeof(Delegate).IsAssignableFrom(t)))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => !m.IsSpecialName && !IsCompilerGenerated(m)).Cast<MethodBase>()
                .Concat(type.GetConstructors().Where(c => c.GetParameters().Length > 0 && !IsCompilerGenerated(c))))
            {
                if (!members.TryGetValue(DocId(method), out var doc))
                {
                    missing.Add($"{type.Name}.{method.Name}: no docs");
                    continue;
                }

                if (doc.Element("inheritdoc") is not null)
                {
                    continue;
                }

                var documented = doc.Elements("param").Select(p => (string)p.Attribute("name")!).ToHashSet();
                missing.AddRange(method.GetParameters().Where(p => !documented.Contains(p.Name!)).Select(p => $"{type.Name}.{method.Name}: <param name=\"{p.Name}\">"));
                if (method is MethodInfo { ReturnType: var returns } && returns != typeof(void) && doc.Element("returns") is null)
                {
                    missing.Add($"{type.Name}.{method.Name}: <returns>");
                }
            }
        }

        Assert.True(missing.Count == 0, "Public members of DendriteAspire.Hosting carry <param> and <returns>, as Aspire's integrations do:\n" + string.Join('\n', missing));
    }

    private sealed record Reference(string User, Type Used);

    /// <summary>Every type the compiled code of the matching Hosting types uses.</summary>
    private static List<Reference> ReferencesFrom(Func<Type, bool> users)
    {
        var references = new List<Reference>();
        foreach (var type in Hosting.GetTypes().Where(t => users(Outermost(t))))
        {
            void Add(Type? used)
            {
                foreach (var t in Expand(used))
                {
                    references.Add(new Reference(Outermost(type).FullName!, t));
                }
            }

            Add(type.BaseType);
            foreach (var i in type.GetInterfaces())
            {
                Add(i);
            }

            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var field in type.GetFields(all))
            {
                Add(field.FieldType);
            }

            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                if (method is MethodInfo info)
                {
                    Add(info.ReturnType);
                }

                foreach (var parameter in method.GetParameters())
                {
                    Add(parameter.ParameterType);
                }

                var body = method.GetMethodBody();
                if (body is null)
                {
                    continue;
                }

                foreach (var local in body.LocalVariables)
                {
                    Add(local.LocalType);
                }

                foreach (var clause in body.ExceptionHandlingClauses.Where(c => c.Flags == ExceptionHandlingClauseOptions.Clause))
                {
                    Add(clause.CatchType);
                }

                foreach (var member in Operands(method, body))
                {
                    switch (member)
                    {
                        case Type t:
                            Add(t);
                            break;
                        case MethodBase m:
                            Add(m.DeclaringType);
                            if (m is MethodInfo mi)
                            {
                                Add(mi.ReturnType);
                            }

                            foreach (var p in m.GetParameters())
                            {
                                Add(p.ParameterType);
                            }

                            break;
                        case FieldInfo f:
                            Add(f.DeclaringType);
                            Add(f.FieldType);
                            break;
                    }
                }
            }
        }

        return references;
    }

    private static IEnumerable<Type> Expand(Type? type)
    {
        if (type is null)
        {
            yield break;
        }

        while (type.HasElementType)
        {
            type = type.GetElementType()!;
        }

        if (type.IsGenericParameter)
        {
            yield break;
        }

        yield return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return argument;
            }
        }
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The members a method body's IL names (calls, field accesses, types).</summary>
    private static IEnumerable<MemberInfo> Operands(MethodBase method, MethodBody body)
    {
        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var i = 0;
        while (i < il.Length)
        {
            var value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    MemberInfo? member = null;
                    try
                    {
                        member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArguments, methodArguments);
                    }
                    catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or FileNotFoundException)
                    {
                        // A member of an assembly that is not loaded here cannot be a type of this solution.
                    }

                    if (member is not null)
                    {
                        yield return member;
                    }

                    i += 4;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + (4 * BitConverter.ToInt32(il, i));
                    break;
                default:
                    i += 4;
                    break;
            }
        }
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static bool IsCompilerGenerated(MemberInfo member) =>
        member.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false)
        || member.DeclaringType?.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false) == true;

    /// <summary>The XML doc id of a method or constructor: <c>M:Namespace.Type.Method(System.String,...)</c>.</summary>
    private static string DocId(MethodBase method)
    {
        var name = method is ConstructorInfo ? "#ctor" : method.Name;
        if (method.IsGenericMethod)
        {
            name += "``" + method.GetGenericArguments().Length;
        }

        var parameters = method.GetParameters();
        var signature = parameters.Length == 0 ? "" : "(" + string.Join(",", parameters.Select(p => DocTypeName(p.ParameterType))) + ")";
        return $"M:{method.DeclaringType!.FullName!.Replace('+', '.')}.{name}{signature}";
    }

    private static string DocTypeName(Type type)
    {
        if (type.IsByRef)
        {
            return DocTypeName(type.GetElementType()!) + "@";
        }

        if (type.IsArray)
        {
            return DocTypeName(type.GetElementType()!) + "[]";
        }

        if (type.IsGenericParameter)
        {
            return type.DeclaringMethod is not null ? "``" + type.GenericParameterPosition : "`" + type.GenericParameterPosition;
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition().FullName!;
            return definition[..definition.IndexOf('`', StringComparison.Ordinal)].Replace('+', '.')
                + "{" + string.Join(",", type.GetGenericArguments().Select(DocTypeName)) + "}";
        }

        return type.FullName!.Replace('+', '.');
    }

    private static bool IsUnder(string path, string folder) =>
        Path.GetRelativePath(RepositoryRoot.Path, path).StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static bool IsExecutable(string project)
    {
        var document = XDocument.Load(project);
        return document.Descendants("OutputType").Any(o => o.Value is "Exe" or "WinExe")
            || ((string?)document.Root?.Attribute("Sdk") ?? "").Contains("Web", StringComparison.Ordinal)
            || ((string?)document.Root?.Attribute("Sdk") ?? "").Contains("AppHost", StringComparison.Ordinal);
    }

    private static IEnumerable<string> ProjectReferences(string project) =>
        XDocument.Load(project).Descendants("ProjectReference")
            .Select(r => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, ((string)r.Attribute("Include")!).Replace('\\', Path.DirectorySeparatorChar))));
}
