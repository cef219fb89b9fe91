using System.Reflection;
using System.Text;
using DendriteAspire.Hosting;

namespace DendriteAspire.AppHost.Tests;

/// <summary>
/// Pins the public surface of DendriteAspire.Hosting, as Aspire's own integrations do: a change to it is a change to
/// the package's contract and shows up in review as a diff of <c>PublicApi/DendriteAspire.Hosting.txt</c>.
/// Accept an intended change with <c>UPDATE_PUBLIC_API=1 dotnet test tests/AppHost.Tests --filter PublicApiTests</c>.
/// </summary>
public class PublicApiTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void The_public_surface_of_the_hosting_package_is_the_pinned_one()
    {
        var actual = Describe(typeof(DendriteResource).Assembly);
        var path = Path.Combine(RepositoryRoot.Path, "tests", "AppHost.Tests", "PublicApi", "DendriteAspire.Hosting.txt");
        if (Environment.GetEnvironmentVariable("UPDATE_PUBLIC_API") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
        }

        var pinned = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        var added = actual.Split('\n').Except(pinned.Split('\n')).ToList();
        var removed = pinned.Split('\n').Except(actual.Split('\n')).ToList();
        Assert.True(added.Count == 0 && removed.Count == 0,
            "The public API of DendriteAspire.Hosting changed. If intended, run UPDATE_PUBLIC_API=1 dotnet test tests/AppHost.Tests --filter PublicApiTests\n"
            + string.Join('\n', added.Select(a => "+ " + a).Concat(removed.Select(r => "- " + r))));
    }

    [Fact]
    public void Internals_stay_internal()
    {
        var exported = typeof(DendriteResource).Assembly.GetExportedTypes().Select(t => t.Name).ToHashSet();
        foreach (var name in new[] { "WorkloadManifests", "PodSecurity", "ClusterValueResolver", "ClusterValue", "DendriteHostOptions", "SettingsCopy", "DendriteConfigFile", "ReadinessWaits", "LoopbackNames", "ClusterIdentityRules" })
        {
            Assert.DoesNotContain(name, exported);
        }
    }

    private static string Describe(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(Name, StringComparer.Ordinal))
        {
            var kind = type.IsEnum ? "enum" : type.IsValueType ? "struct" : type.IsInterface ? "interface" : typeof(Delegate).IsAssignableFrom(type) ? "delegate" : "class";
            var bases = new[] { type.BaseType }.Where(b => b is not null && b != typeof(object) && b != typeof(ValueType)).Concat(type.GetInterfaces().Where(i => i.IsPublic))
                .Select(b => Name(b!)).Order(StringComparer.Ordinal).ToList();
            lines.Add(bases.Count == 0 ? $"{kind} {Name(type)}" : $"{kind} {Name(type)} : {string.Join(", ", bases)}");
            lines.AddRange(type.GetMembers(Declared).Where(Visible).Select(m => "  " + Member(m)).Order(StringComparer.Ordinal));
        }

        return string.Join('\n', lines) + "\n";
    }

    private static bool Visible(MemberInfo member) => member switch
    {
        MethodBase method => (method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly) && !method.IsSpecialName || method is ConstructorInfo { IsPublic: true },
        PropertyInfo property => property.GetAccessors(nonPublic: false).Length > 0,
        FieldInfo field => field.IsPublic || field.IsFamily,
        EventInfo e => e.AddMethod?.IsPublic == true,
        Type nested => nested.IsNestedPublic,
        _ => false,
    };

    private static string Member(MemberInfo member) => member switch
    {
        ConstructorInfo constructor => $".ctor({Parameters(constructor)})",
        MethodInfo method => $"{(method.IsStatic ? "static " : "")}{Name(method.ReturnType)} {method.Name}{(method.IsGenericMethod ? $"<{string.Join(", ", method.GetGenericArguments().Select(Name))}>" : "")}({Parameters(method)})",
        PropertyInfo property => $"{Name(property.PropertyType)} {property.Name} {{ {string.Join(' ', property.GetAccessors(nonPublic: false).Select(a => a.Name.StartsWith("get_", StringComparison.Ordinal) ? "get;" : IsInitOnly(a) ? "init;" : "set;").Order(StringComparer.Ordinal))} }}",
        FieldInfo field => $"{(field.IsLiteral ? "const " : field.IsStatic ? "static " : "")}{Name(field.FieldType)} {field.Name}",
        EventInfo e => $"event {Name(e.EventHandlerType!)} {e.Name}",
        Type nested => $"nested {Name(nested)}",
        _ => member.Name,
    };

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");

    private static string Parameters(MethodBase method) =>
        string.Join(", ", method.GetParameters().Select(p => $"{(p.IsDefined(typeof(ParamArrayAttribute)) ? "params " : "")}{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : "")}"));

    private static string Name(Type type)
    {
        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (type.IsByRef)
        {
            return "ref " + Name(type.GetElementType()!);
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }

        var name = new StringBuilder(type.IsNested ? Name(type.DeclaringType!) + "." : type.Namespace + ".");
        name.Append(type.IsGenericType ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] : type.Name);
        if (type.IsGenericType)
        {
            name.Append('<').Append(string.Join(", ", type.GetGenericArguments().Select(Name))).Append('>');
        }

        return name.ToString();
    }
}
