// Poppy.Sdk scale-out: two instances of one application share a PostgreSQL catalog and operation journal. Instance A
// starts a CloudFront create and stops in the middle of the deployment; instance B's recovery service takes the
// operation over once A's lease has lapsed, and finishes it — once: the vendor ends up with one distribution.
//
// It needs no credentials and no database: CloudFront is the local emulator (real HTTP and SigV4; a deployment takes
// 8 seconds there), and PostgreSQL is a throwaway server started here (initdb + pg_ctl, as the tests do) unless
// POPPY_POSTGRES holds a connection string to a database of yours (the sample creates its tables there).
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Poppy.Sdk;
using Poppy.Sdk.Emulator;
using Poppy.Sdk.Models;
using Poppy.Sdk.Testing.Servers;

await using var emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions { DeployDelay = TimeSpan.FromSeconds(8) });
var connectionString = Environment.GetEnvironmentVariable("POPPY_POSTGRES");
await using var throwaway = connectionString is null ? await PostgreSqlServer.StartAsync() : null;
connectionString ??= await throwaway!.CreateDatabaseAsync();
Console.WriteLine(throwaway is null ? "PostgreSQL: POPPY_POSTGRES." : $"PostgreSQL: a throwaway server on 127.0.0.1:{throwaway.Port}.");
Console.WriteLine($"CloudFront: the emulator at {emulator.BaseAddress}.");

// 1. Instance A starts a create and stops mid-deployment (as a crashed or redeployed web instance would).
string operationId;
using (var a = Instance("instance-a"))
{
    await a.StartAsync();
    var client = a.Services.GetRequiredService<PoppyClient>();
    var operation = await client.CreateServiceAsync(new ServiceSpec
    {
        Name = "shop",
        FlavorId = "global",
        Domains = [new DomainSpec("shop.example.com")],
        Origins = [new OriginSpec("origin.example.net") { Rules = [new PathRule("default", "/*")] }],
        Caching = [new CachingRule("default", 3600, new PathRule("default", "/*"))],
    });
    operationId = operation.Id;
    await operation.UpdateStatusAsync();
    Console.WriteLine($"A: started {operationId}: {operation.StatusDescription}");
    Print("A", await client.GetOperationAsync(operationId));
    await a.StopAsync();
    Console.WriteLine("A: stopped, mid-deployment.");
}

// 2. Instance B starts on the same database. Its recovery service takes the operation over when A's lease lapses.
using var b = Instance("instance-b");
await b.StartAsync();
var clientB = b.Services.GetRequiredService<PoppyClient>();
Console.WriteLine("B: waiting for the operation (B's recovery service finishes it once A's lease has lapsed)...");
using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
var finished = await clientB.WaitForOperationAsync(operationId, TimeSpan.FromSeconds(1), timeout.Token);
Print("B", finished);

var service = await clientB.GetServiceAsync(finished.ServiceId);
foreach (var provider in service!.Providers)
{
    Console.WriteLine($"B: {provider.Provider}: {provider.Status}, distribution {provider.VendorServiceId}, {string.Join(", ", provider.AccessUrls.Select(u => u.Domain + " -> " + u.ProviderUrl))}");
}

Console.WriteLine($"Emulator: {emulator.CloudFront.Distributions.Count} distribution(s): {string.Join(", ", emulator.CloudFront.Distributions.Select(d => d.Id + " " + d.Status))}.");
if (finished.State != OperationJournalState.Succeeded || finished.Owner != clientB.InstanceId || emulator.CloudFront.Distributions.Count != 1)
{
    Console.Error.WriteLine("Unexpected: the operation should have been finished by instance B, with exactly one distribution.");
    return 1;
}

// 3. Clean up, from B.
await clientB.DeleteServiceAsync(finished.ServiceId).ContinueWith(t => t.Result.WaitForCompletionAsync(TimeSpan.FromSeconds(1))).Unwrap();
Console.WriteLine("B: deleted the service. Done.");
await b.StopAsync();
return 0;

IHost Instance(string id)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).AddFilter("Poppy.Sdk", LogLevel.Information).AddFilter("System.Net.Http", LogLevel.Warning);
    builder.Services.AddPoppy(o =>
        {
            o.AddFlavor("global", FlavorMode.Mirror, "cloudfront");
            o.Journal.InstanceId = id;
            o.Journal.LeaseDuration = TimeSpan.FromSeconds(6); // short for the demo; the default is 2 minutes
            o.Journal.RecoveryInterval = TimeSpan.FromSeconds(1);
        })
        .AddCloudFront("cloudfront", o =>
        {
            o.BaseAddress = emulator.BaseAddress;
            o.AccessKeyId = emulator.CloudFront.Options.AccessKeyId;
            o.SecretAccessKey = emulator.CloudFront.Options.SecretAccessKey;
            o.AcmCertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/scale-out";
            o.PollingInterval = TimeSpan.FromSeconds(1);
        })
        .UsePostgreSqlCatalog(connectionString);
    return builder.Build();
}

static void Print(string who, OperationJournalEntry? entry) =>
    Console.WriteLine(entry is null
        ? $"{who}: the journal holds no such operation."
        : $"{who}: journal {entry.OperationId}: {entry.State}, owner {entry.Owner}, takeovers {entry.Claims}, lease until {entry.LeaseExpiresAt:HH:mm:ss}{(entry.Error is { } e ? ", error " + e.Code + ": " + e.Message : "")}");
