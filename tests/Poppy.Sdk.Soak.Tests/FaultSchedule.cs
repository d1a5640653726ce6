using Poppy.Sdk.Emulator;
using Poppy.Sdk.Testing;

namespace Poppy.Sdk.Soak.Tests;

/// <summary>
/// Injects faults before each operation, decided by a generator seeded from the soak's seed and the operation's
/// number, so a run injects the same faults at the same points every time (only the interleaving of the concurrent
/// operations varies). Windows (a vendor down, added latency, rotated credentials, an in-memory CDN unavailable)
/// open at one operation and close a number of operations later.
/// </summary>
internal sealed class FaultSchedule(SoakLedger ledger, CdnEmulator emulator, IReadOnlyDictionary<string, InMemoryCdnProvider> memory, int seed, int operations)
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
    private readonly object _gate = new();
    private readonly List<(int CloseAt, string Name, Action Close)> _open = [];
    private readonly string _fastlyKey = emulator.Fastly.Options.ApiToken;
    private readonly string _cloudFrontSecret = emulator.CloudFront.Options.SecretAccessKey;

    /// <summary>Called with the operation's number, in order, before it starts.</summary>
    public void Before(int op)
    {
        lock (_gate)
        {
            for (var i = _open.Count - 1; i >= 0; i--)
            {
                if (_open[i].CloseAt <= op)
                {
                    _open[i].Close();
                    ledger.Fault(op, "window closed", _open[i].Name + " ended");
                    _open.RemoveAt(i);
                }
            }

            var rng = new Random(SoakSettings.Mix(seed, op, 1));

            // One vendor down for a window, at fixed points of the run: Fastly a quarter in, CloudFront two thirds in.
            if (op == operations / 4)
            {
                Window(op, 12, "vendor down (fastly)", () => emulator.Fastly.Faults.VendorDown = true, () => emulator.Fastly.Faults.VendorDown = false);
            }

            if (op == operations * 2 / 3)
            {
                Window(op, 12, "vendor down (cloudfront)", () => emulator.CloudFront.Faults.VendorDown = true, () => emulator.CloudFront.Faults.VendorDown = false);
            }

            // Credentials rotated at fixed points too, so every run provokes each vendor's auth error (the leak check is
            // not vacuous): CloudFront's secret key half-way (SignatureDoesNotMatch), Fastly's token five sixths in (401).
            if (op == operations / 2)
            {
                Window(op, 4, "credentials rotated (cloudfront secret key, fixed)", () => emulator.CloudFront.Options.SecretAccessKey = "rotated-" + _cloudFrontSecret, () => emulator.CloudFront.Options.SecretAccessKey = _cloudFrontSecret);
            }

            if (op == operations * 5 / 6)
            {
                Window(op, 4, "credentials rotated (fastly token, fixed)", () => emulator.Fastly.Options.ApiToken = "rotated-" + _fastlyKey, () => emulator.Fastly.Options.ApiToken = _fastlyKey);
            }

            var roll = rng.NextDouble();
            var vendor = rng.Next(2) == 0 ? (IVendorEmulator)emulator.Fastly : emulator.CloudFront;
            var mem = memory.Values.ElementAt(rng.Next(memory.Count));
            switch (roll)
            {
                case < 0.05:
                    {
                        var n = rng.Next(1, 5);
                        var status = new[] { 500, 502, 503, 504 }[rng.Next(4)];
                        vendor.Faults.FailNext(n, status);
                        ledger.Fault(op, "5xx burst", $"{vendor.Key}: next {n} requests answer {status}");
                        break;
                    }

                case < 0.08:
                    {
                        var n = rng.Next(1, 4);
                        vendor.Faults.ResetNext(n);
                        ledger.Fault(op, "connection reset", $"{vendor.Key}: next {n} connections reset");
                        break;
                    }

                case < 0.11:
                    {
                        var n = rng.Next(1, 3);
                        vendor.Faults.LoseAnswerNext(n);
                        ledger.Fault(op, "answer lost", $"{vendor.Key}: next {n} requests carried out, then the connection reset (answer lost)");
                        break;
                    }

                case < 0.14:
                    {
                        var n = rng.Next(2, 7);
                        vendor.Faults.RateLimitNext(n, RetryAfter);
                        ledger.Fault(op, "429 storm", $"{vendor.Key}: next {n} requests throttled, Retry-After {RetryAfter.TotalSeconds} s");
                        break;
                    }

                case < 0.15 when !_open.Any(w => w.Name.StartsWith("latency", StringComparison.Ordinal)):
                    {
                        var target = vendor;
                        Window(op, 10, $"latency +150 ms ({target.Key})", () => target.Faults.AddedLatency = TimeSpan.FromMilliseconds(150), () => target.Faults.AddedLatency = TimeSpan.Zero);
                        break;
                    }

                case < 0.16 when !_open.Any(w => w.Name.StartsWith("credentials", StringComparison.Ordinal)):
                    if (vendor == emulator.CloudFront)
                    {
                        Window(op, 4, "credentials rotated (cloudfront secret key)", () => emulator.CloudFront.Options.SecretAccessKey = "rotated-" + _cloudFrontSecret, () => emulator.CloudFront.Options.SecretAccessKey = _cloudFrontSecret);
                    }
                    else
                    {
                        Window(op, 4, "credentials rotated (fastly token)", () => emulator.Fastly.Options.ApiToken = "rotated-" + _fastlyKey, () => emulator.Fastly.Options.ApiToken = _fastlyKey);
                    }

                    break;
                case < 0.21:
                    {
                        var n = rng.Next(1, 4);
                        mem.Faults.FailNext(n, transient: true, status: 503);
                        ledger.Fault(op, "in-memory transient failure", $"{mem.Name}: next {n} calls fail (503)");
                        break;
                    }

                case < 0.24:
                    mem.Faults.HalfCreateNext();
                    ledger.Fault(op, "in-memory half-created service", $"{mem.Name}: next create stores the service, then fails (504)");
                    break;
                case < 0.27:
                    mem.Faults.FailDeploymentNext();
                    ledger.Fault(op, "in-memory failed deployment", $"{mem.Name}: next create/update deployment ends failed");
                    break;
                case < 0.29:
                    {
                        var n = rng.Next(1, 4);
                        mem.Faults.RateLimitNext(n, RetryAfter);
                        ledger.Fault(op, "in-memory rate limit", $"{mem.Name}: next {n} calls rate-limited");
                        break;
                    }

                case < 0.30 when !_open.Any(w => w.Name.StartsWith("unavailable", StringComparison.Ordinal)):
                    {
                        var target = mem;
                        Window(op, 8, $"unavailable ({target.Name})", () => target.Faults.SetUnavailable(true), () => target.Faults.SetUnavailable(false));
                        break;
                    }
            }
        }
    }

    /// <summary>Ends every fault: windows closed, queued faults dropped, credentials restored.</summary>
    public void ClearAll()
    {
        lock (_gate)
        {
            foreach (var window in _open)
            {
                window.Close();
            }

            _open.Clear();
            emulator.Fastly.Faults.Clear(seed);
            emulator.CloudFront.Faults.Clear(seed);
            emulator.Fastly.Options.ApiToken = _fastlyKey;
            emulator.CloudFront.Options.SecretAccessKey = _cloudFrontSecret;
            foreach (var m in memory.Values)
            {
                m.Faults.Clear();
            }
        }
    }

    private void Window(int op, int length, string name, Action open, Action close)
    {
        open();
        _open.Add((op + length, name, close));
        ledger.Fault(op, name.Split(' ')[0] switch
        {
            "vendor" => "vendor down (window)",
            "latency" => "added latency (window)",
            "credentials" => "credentials rotated (window)",
            _ => "in-memory unavailable (window)",
        }, $"{name} for {length} operations");
    }
}
