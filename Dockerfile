# IdentityHub in a container, following the official .NET image conventions: build and publish with the SDK image,
# run on the ASP.NET Core runtime image as its non-root "app" user, listening on 8080, everything it writes under /data.
# See README.md, "Container". Build: docker build -t identityhub .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The target's architecture (amd64, arm64): publishing for it precompiles the app (ReadyToRun) for a faster start.
ARG TARGETARCH
WORKDIR /src
# Restore first, from the project files only, so that the package layer is reused until a dependency changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/IdentityHub.Cedar/IdentityHub.Cedar.csproj src/IdentityHub.Cedar/
COPY src/IdentityHub/IdentityHub.csproj src/IdentityHub/
COPY src/IdentityHub.Migrations.PostgreSQL/IdentityHub.Migrations.PostgreSQL.csproj src/IdentityHub.Migrations.PostgreSQL/
COPY templates/IdentityHub.Templates.csproj templates/
COPY src/IdentityHub.Web/IdentityHub.Web.csproj src/IdentityHub.Web/
RUN dotnet restore src/IdentityHub.Web/IdentityHub.Web.csproj -a $TARGETARCH
COPY src/ src/
COPY templates/ templates/
RUN dotnet publish src/IdentityHub.Web/IdentityHub.Web.csproj -c Release -a $TARGETARCH --no-self-contained -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
WORKDIR /app
COPY --from=build /app .
# /data is the volume: the SQLite database, the mail pickup folder (when no SMTP host is set) and the signing key.
# It is created here so that a new named volume starts out owned by the app user.
RUN mkdir -p /data/keys /data/mail && chown -R $APP_UID /data
VOLUME /data
# The image's defaults: ASPNETCORE_HTTP_PORTS=8080 (no Urls in appsettings.json overrides it), Production.
ENV IdentityHub__Database__Path=/data/identityhub.db \
    IdentityHub__Mail__PickupDirectory=/data/mail \
    IdentityHub__Keys__SigningKeyPath=/data/keys/signing.pem
USER $APP_UID
EXPOSE 8080
# The runtime image has no curl or wget: the app checks its own /healthz (exit 0 healthy, 1 not).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["dotnet", "/app/IdentityHub.Web.dll", "--healthcheck"]
ENTRYPOINT ["dotnet", "IdentityHub.Web.dll"]
