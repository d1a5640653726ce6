#region getting-started-register
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Poppy.Sdk;
using Poppy.Sdk.Serialization;

// The generic host (package Microsoft.Extensions.Hosting) brings configuration, logging and DI;
// in an ASP.NET Core app, WebApplication.CreateBuilder(args) is used the same way.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddPoppy(builder.Configuration)              // the "Poppy" section: flavors, resilience
    .AddFastly(builder.Configuration.GetSection("Fastly"));   // the "Fastly" section, beside "Poppy"
using var app = builder.Build();
await app.StartAsync();                                       // options are validated here
#endregion

#region getting-started-use
var poppy = app.Services.GetRequiredService<PoppyClient>();
var spec = PoppyJson.DeserializeService(await File.ReadAllTextAsync("my-site.json"));

ServiceOperation create = await poppy.CreateServiceAsync(spec);   // throws CdnValidationException if invalid
while (!await create.UpdateStatusAsync())
{
    Console.WriteLine(create.StatusDescription);                   // "fastly: done; cloudfront: InProgress"
    await Task.Delay(create.SuggestedPollingDelay ?? create.DefaultPollingInterval);
}

CdnService service = create.Value;
foreach (var p in service.Providers)
{
    Console.WriteLine($"{p.Provider}: {p.Status}, CNAME {p.AccessUrls[0].Domain} → {p.AccessUrls[0].ProviderUrl}");
}

PurgeReport report = await poppy.PurgeAsync(service.ServiceId, PurgeRequest.ForUrls("/index.html"));
Console.WriteLine(report);                                         // "purge of service '…' (url, 1 item, hard): succeeded; fastly: …"
await (await poppy.DeleteServiceAsync(service.ServiceId)).WaitForCompletionAsync();
await app.StopAsync();
#endregion
