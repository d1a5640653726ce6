using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Poppy.Sdk.Emulator.Tests.Hosting;

/// <summary>
/// The shared vendor pipeline — faults, latency, access check, call log, reset — written once and run
/// for every emulated vendor; only the error shapes differ, as each vendor's driver knows.
/// </summary>
public sealed class SharedMiddlewareTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _fake = new(new DateTimeOffset(2026, 11, 25, 10, 30, 0, TimeSpan.Zero));
    private readonly TimerWatchingTimeProvider _time;
    private CdnEmulator _emulator = null!;
    private HttpClient _http = null!;

    public SharedMiddlewareTests()
    {
        _time = new TimerWatchingTimeProvider(_fake);
    }

    public static TheoryData<string> Vendors
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var driver in VendorDrivers.All)
            {
                data.Add(driver.Key);
            }

            return data;
        }
    }

    public async Task InitializeAsync()
    {
        _emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions { TimeProvider = _time });
        _http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public void Drivers_EveryEmulatedVendor_HasExactlyOneDriver()
    {
        Assert.Equal(_emulator.Vendors.Select(v => v.Key), VendorDrivers.All.Select(d => d.Key));
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task DescribeVendors_EachVendor_WritesItsKeyAndBaseUrlFirst(string vendor)
    {
        var line = _emulator.DescribeVendors().Single(l => l.StartsWith(vendor + " ", StringComparison.Ordinal));

        // The base URL is the emulator's, or a path under it where the vendor's API has one (Cloudflare's /client/v4).
        Assert.Matches($"^{vendor} base_url={System.Text.RegularExpressions.Regex.Escape(_emulator.BaseAddress.ToString().TrimEnd('/'))}(/[^ /]+)* ", line);
        var (status, _, _) = await SendAsync(VendorDrivers.For(vendor), VendorDrivers.For(vendor).ReadPath);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task FailNext_OneRequest_AnswersTheStatusInTheVendorsShapeThenRecovers(string vendor)
    {
        var driver = VendorDrivers.For(vendor);
        driver.Vendor(_emulator).Faults.FailNext(1, 503);

        var (failed, _, _) = await SendAsync(driver, driver.ReadPath, expectError: true);
        var (next, _, _) = await SendAsync(driver, driver.ReadPath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed);
        Assert.Equal(HttpStatusCode.OK, next);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task RateLimitNext_StormOfTwo_ThrottlesBothWithTheVendorsRetryAfterThenRecovers(string vendor)
    {
        var driver = VendorDrivers.For(vendor);
        driver.Vendor(_emulator).Faults.RateLimitNext(2, TimeSpan.FromSeconds(7));

        var first = await SendAsync(driver, driver.ReadPath, expectError: true);
        var second = await SendAsync(driver, driver.ReadPath, expectError: true);
        var (after, _, _) = await SendAsync(driver, driver.ReadPath);

        foreach (var (status, retryAfter, _) in new[] { first, second })
        {
            Assert.Equal(driver.ThrottledStatus, status);
            Assert.Equal(driver.SendsRetryAfter ? TimeSpan.FromSeconds(7) : null, retryAfter);
        }

        Assert.Equal(HttpStatusCode.OK, after);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task VendorDown_WhileSet_Answers503ForThatVendorOnly(string vendor)
    {
        var driver = VendorDrivers.For(vendor);
        var faults = driver.Vendor(_emulator).Faults;
        faults.VendorDown = true;

        var (down, _, _) = await SendAsync(driver, driver.ReadPath, expectError: true);
        var others = new List<HttpStatusCode>();
        foreach (var other in VendorDrivers.All.Where(d => d != driver))
        {
            others.Add((await SendAsync(other, other.ReadPath)).Status);
        }

        faults.VendorDown = false;
        var (up, _, _) = await SendAsync(driver, driver.ReadPath);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down);
        Assert.All(others, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.OK, up);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task ResetNext_OneRequest_AbortsTheConnectionAndLogsStatusZero(string vendor)
    {
        var driver = VendorDrivers.For(vendor);
        var target = driver.Vendor(_emulator);
        target.Faults.ResetNext(1);

        await Assert.ThrowsAsync<HttpRequestException>(() => SendAsync(driver, driver.ReadPath));
        var (next, _, _) = await SendAsync(driver, driver.ReadPath);

        Assert.Equal(HttpStatusCode.OK, next);
        Assert.Equal([0, 200], target.Calls.Calls.Select(c => c.Status));
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task AddedLatency_Request_WaitsOnTheEmulatorsClockBeforeAnswering(string vendor)
    {
        var driver = VendorDrivers.For(vendor);
        driver.Vendor(_emulator).Faults.AddedLatency = TimeSpan.FromSeconds(3);
        var timerCreated = _time.NextTimer();

        var pending = SendAsync(driver, driver.ReadPath);
        await timerCreated.WaitAsync(TimeSpan.FromSeconds(30));
        _fake.Advance(TimeSpan.FromSeconds(2));
        var completedEarly = pending.IsCompleted;
        _fake.Advance(TimeSpan.FromSeconds(1));
        var (status, _, _) = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(completedEarly);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task AuthenticateAsync_NoCredentials_AnswersTheVendorsAuthFailureAndLogsIt(string vendor)
    {
        var driver = VendorDrivers.For(vendor);

        var (status, _, _) = await SendAsync(driver, driver.ReadPath, authenticated: false, expectError: true);

        Assert.Equal(driver.UnauthenticatedStatus, status);
        var call = Assert.Single(driver.Vendor(_emulator).Calls.Calls);
        Assert.Equal(new EmulatorCall("GET", driver.ReadPath, (int)driver.UnauthenticatedStatus), call);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task Faults_UnauthenticatedRequest_AreAnsweredBeforeTheAccessCheck(string vendor)
    {
        var driver = VendorDrivers.For(vendor);
        driver.Vendor(_emulator).Faults.FailNext(1, 502);

        var (status, _, _) = await SendAsync(driver, driver.ReadPath, authenticated: false, expectError: true);

        Assert.Equal(HttpStatusCode.BadGateway, status);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task UnknownOperation_UnderTheVendorsPrefix_Is404InTheVendorsShape(string vendor)
    {
        var driver = VendorDrivers.For(vendor);

        var (status, _, _) = await SendAsync(driver, driver.UnknownPath, expectError: true);

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task Calls_AnsweredAndFailed_AreLoggedInOrderForTheirVendorOnly(string vendor)
    {
        var driver = VendorDrivers.For(vendor);
        var target = driver.Vendor(_emulator);
        await SendAsync(driver, driver.ReadPath);
        target.Faults.FailNext(1, 500);
        await SendAsync(driver, driver.ReadPath, expectError: true);
        await SendAsync(driver, driver.UnknownPath, expectError: true);

        Assert.Equal(
            [new EmulatorCall("GET", driver.ReadPath, 200), new EmulatorCall("GET", driver.ReadPath, 500), new EmulatorCall("GET", driver.UnknownPath, 404)],
            target.Calls.Calls);
        Assert.Equal(3, target.Calls.Count("GET"));
        Assert.Equal(1, target.Calls.Count(pathContains: "no-such"));
        Assert.All(_emulator.Vendors.Where(v => v != target), v => Assert.Empty(v.Calls.Calls));
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task Reset_AfterCalls_ForgetsTheCallsButKeepsFaultsAndCredentials(string vendor)
    {
        var driver = VendorDrivers.For(vendor);
        var target = driver.Vendor(_emulator);
        await SendAsync(driver, driver.ReadPath);
        target.Faults.FailNext(1, 503);

        target.Reset();

        Assert.Empty(target.Calls.Calls);
        var (failed, _, _) = await SendAsync(driver, driver.ReadPath, expectError: true);
        var (next, _, _) = await SendAsync(driver, driver.ReadPath);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed);
        Assert.Equal(HttpStatusCode.OK, next);
    }

    /// <summary>Sends a GET; when <paramref name="expectError"/>, asserts the answer is in the vendor's error format.</summary>
    private async Task<(HttpStatusCode Status, TimeSpan? RetryAfter, string Body)> SendAsync(
        VendorDriver driver, string path, bool authenticated = true, bool expectError = false)
    {
        using var request = driver.Get(_emulator, path, _fake.GetUtcNow(), authenticated);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (expectError)
        {
            Assert.False(response.IsSuccessStatusCode, body);
            driver.AssertErrorShape(response, body);
        }

        return (response.StatusCode, response.Headers.RetryAfter?.Delta, body);
    }

    /// <summary>
    /// The fake clock, telling when the code under test registers a timer — so a test advances time only
    /// once the emulator waits on it, instead of racing it in a loop.
    /// </summary>
    private sealed class TimerWatchingTimeProvider(FakeTimeProvider inner) : TimeProvider
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

        public override long TimestampFrequency => inner.TimestampFrequency;

        /// <summary>Completes when the next timer is created.</summary>
        public Task NextTimer()
        {
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _next.Task;
        }

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override long GetTimestamp() => inner.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = inner.CreateTimer(callback, state, dueTime, period);
            _next.TrySetResult();
            return timer;
        }
    }
}
