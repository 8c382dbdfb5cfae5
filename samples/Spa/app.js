// A browser-only client of IdentityHub: oidc-client-ts signs in with the authorization code flow and PKCE (a public
// client, no secret), then the page calls userinfo and the account API (seed 000) with the access token. IdentityHub
// answers these cross-origin calls because the client lists this page's origin in AllowedOrigins.
"use strict";

(async () => {
  const config = await (await fetch("config.json")).json();
  const manager = new oidc.UserManager({
    authority: config.authority,
    client_id: config.client_id,
    scope: config.scope,
    redirect_uri: location.origin + "/",
    post_logout_redirect_uri: location.origin + "/",
    response_type: "code",
  });
  const $ = id => document.getElementById(id);
  const show = (id, text) => { $(id).textContent = text; };

  if (new URLSearchParams(location.search).has("code")) {
    await manager.signinRedirectCallback();
    history.replaceState(null, "", "/");
  }
  const user = await manager.getUser();
  if (!user || user.expired) {
    show("status", "Not signed in.");
    $("sign-in").hidden = false;
    $("sign-in").onclick = () => manager.signinRedirect();
    return;
  }
  show("status", `Signed in as ${user.profile.name ?? user.profile.sub} (tenant ${user.profile.tid}).`);
  $("signed-in").hidden = false;
  const bearer = { Authorization: `Bearer ${user.access_token}` };

  $("userinfo").onclick = async () => {
    const response = await fetch(await manager.metadataService.getUserInfoEndpoint(), { headers: bearer });
    show("userinfo-result", JSON.stringify(await response.json(), null, 2));
  };

  $("change-password").onsubmit = async event => {
    event.preventDefault();
    const response = await fetch(new URL("v1/users/me/password", config.authority), {
      method: "POST",
      headers: { ...bearer, "Content-Type": "application/json", "X-Tenant-ID": user.profile.tid },
      body: JSON.stringify({ current_password: $("current-password").value, new_password: $("new-password").value }),
    });
    show("password-result", response.status === 204 ? "Password changed." : `Refused (${response.status}): ${await response.text()}`);
  };
})().catch(error => { document.getElementById("status").textContent = `Error: ${error.message}`; });
