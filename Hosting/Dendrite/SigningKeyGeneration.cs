using DendriteAspire.ConfigRenderer.Layout;

namespace DendriteAspire.Hosting;

/// <summary>
/// The key step: the image's own <c>/usr/bin/generate-keys</c>, guarded so that it writes a key only when none
/// exists. The tool truncates an existing file without asking, so an unguarded run would rotate the server's
/// signing key on every start. New files are written next to the target and moved into place, so an interrupted
/// run never leaves a half-written key behind. Keys are left with mode 0400 (owner read-only): Dendrite only reads
/// them, and on runtimes that cannot mount the volume read-only (podman 4) the file mode is what protects them.
/// </summary>
internal static class SigningKeyGeneration
{
    public const string Shell = "/bin/sh";
    public const string GenerateKeys = "/usr/bin/generate-keys";

    public const string TlsCertificate = DendritePaths.StorageKeys + "/server.crt";
    public const string TlsKey = DendritePaths.StorageKeys + "/server.key";

    /// <summary>The shell script the key step runs. With federation it also creates the TLS pair for port 8448.</summary>
    public static string Script(bool withTlsCertificate)
    {
        var lines = new List<string>
        {
            "set -eu",
            $"key={DendritePaths.SigningKey}",
            "if [ -s \"$key\" ]; then",
            "  echo \"Signing key $key exists; keeping it.\"",
            "else",
            $"  {GenerateKeys} -private-key \"$key.new\"",
            "  mv \"$key.new\" \"$key\"",
            "  echo \"Created signing key $key.\"",
            "fi",
            "chmod 0400 \"$key\"",
        };
        if (withTlsCertificate)
        {
            lines.AddRange(
            [
                $"crt={TlsCertificate}; tlskey={TlsKey}",
                "if [ -s \"$crt\" ] && [ -s \"$tlskey\" ]; then",
                "  echo \"TLS certificate $crt exists; keeping it.\"",
                "else",
                $"  {GenerateKeys} -tls-cert \"$crt.new\" -tls-key \"$tlskey.new\"",
                "  mv \"$crt.new\" \"$crt\"",
                "  mv \"$tlskey.new\" \"$tlskey\"",
                "  echo \"Created TLS certificate $crt.\"",
                "fi",
                "chmod 0400 \"$tlskey\"",
            ]);
        }

        // podman reports a container that has just exited as 'stopped' for a moment, and DCP, checking right after
        // the start, takes that for a failed start ("status ... is 'stopped' (was expecting 'running')"); seen on
        // podman 4.3.1 under load. Staying up a second more lets DCP see it running.
        lines.Add("sleep 1");
        return string.Join('\n', lines);
    }
}
