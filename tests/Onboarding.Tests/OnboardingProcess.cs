using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DendriteAspire.Onboarding.Tests;

/// <summary>
/// The built onboarding service as its own process (<c>dotnet DendriteAspire.Onboarding.dll</c>) on a real Kestrel
/// socket at 127.0.0.1, configured through environment variables exactly like a published pod. Clients connect from
/// chosen loopback addresses (127.0.0.2, 127.0.0.3, ...), so the service sees real, different client addresses.
/// Dendrite is not running: only requests that never reach it (a malformed join link, the sign-in form) are used.
/// </summary>
public sealed class OnboardingProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _dataDirectory;

    private OnboardingProcess(Process process, int port, string dataDirectory)
    {
        _process = process;
        Port = port;
        _dataDirectory = dataDirectory;
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>What the process wrote, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the service with <paramref name="environment"/> on top of a minimal valid configuration.</summary>
    public static async Task<OnboardingProcess> StartAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var port = OnboardingFactory.FreePort();
        var data = Directory.CreateTempSubdirectory("onboarding-process-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DendriteAspire.Onboarding.dll"));
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Onboarding__InviteSecret"] = OnboardingFactory.InviteSecret;
        start.Environment["Onboarding__DataDirectory"] = data;
        start.Environment["Onboarding__DendriteUrl"] = "http://127.0.0.1:9";
        start.Environment["Onboarding__ServerName"] = OnboardingFactory.ServerName;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var service = new OnboardingProcess(process, port, data);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                process.WaitForExit();
                throw new InvalidOperationException($"the onboarding service exited with {process.ExitCode}:\n{service.Output}");
            }

            try
            {
                using var alive = await http.GetAsync(new Uri(service.Address, "/alive"), cancellationToken);
                if (alive.IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                await service.DisposeAsync();
                throw new TimeoutException($"the onboarding service did not answer /alive within 60 s:\n{service.Output}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>An HttpClient whose connections come from <paramref name="source"/> (a loopback address such as 127.0.0.3).</summary>
    public HttpClient ClientFrom(string source)
    {
        var from = IPAddress.Parse(source);
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = Address };
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
