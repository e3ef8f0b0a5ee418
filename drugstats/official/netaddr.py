"""Which addresses a download may reach: http(s) to public internet addresses only, each host resolved once here.

A server that fetches what a visitor names must not become a way into its own network (SSRF): 127.0.0.1 spelled
2130706433, 0x7f000001 or 127.1, [::1], [::ffff:127.0.0.1], 0.0.0.0, a cloud's metadata address 169.254.169.254, a
router at 192.168.0.1, or a name that resolves to any of these. The rule is checked on the addresses the name resolves
to (every one of them), and the connection is then made to the address checked (drugstats.official.httpget), never
to a second lookup's answer.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

SCHEMES = ("http", "https")
# IPv6 ranges that carry an IPv4 address in their last 32 bits (NAT64, the well-known and the local-use prefix):
# the IPv4 address inside is the one reached.
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
# In the order a reader would name an address: the most specific rule first.
_RULES = (
    ("is_unspecified", "an unspecified address (0.0.0.0 or ::)"),
    ("is_loopback", "a loopback address (this machine)"),
    ("is_link_local", "a link-local address"),
    ("is_multicast", "a multicast address"),
    ("is_private", "a private network's address"),
    ("is_reserved", "a reserved address"),
)


class Unresolvable(Exception):
    """A host name that does not resolve (the message says why): a failed connection, not a refusal."""


@dataclass(frozen=True)
class Target:
    """Where one request goes: the URL's scheme, host and port, the path with its query, and the address checked."""

    scheme: str
    host: str  # as the URL names it (an IPv6 address without brackets)
    port: int
    path: str
    host_header: str
    address: str  # the resolved address to connect to


def address_rule(address: str) -> str | None:
    """Why drugstats will not connect to `address` (an IPv4 or IPv6 address as text), or None for a public address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is None and any(ip in net for net in _NAT64):
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if inner is None and int(ip) >> 32 == 0 and int(ip) > 1:  # ::a.b.c.d, the deprecated IPv4-compatible form
            inner = ipaddress.IPv4Address(int(ip))
        if inner is not None:
            rule = address_rule(str(inner))
            return f"{rule}, inside the IPv6 address {ip}" if rule else None
    for attribute, rule in _RULES:
        if getattr(ip, attribute):
            return f"{ip} is {rule}"
    if not ip.is_global:
        return f"{ip} is not a public internet address"
    return None


def target(url: str, *, allow_private: bool = False) -> Target | str:
    """Where a GET of `url` would connect, or the rule that refuses it (one sentence naming the address and why).
    Raises Unresolvable for a host that does not resolve."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        return f"not a valid URL ({err})"
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        return f"only http and https addresses are fetched, not {scheme or 'a relative address'}:"
    host = parts.hostname
    if not host:
        return "the address names no host"
    port = port or (443 if scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as err:
        raise Unresolvable(f"{host} does not resolve ({getattr(err, 'strerror', None) or err})") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise Unresolvable(f"{host} does not resolve")
    if not allow_private:
        for address in addresses:  # every address: a name with one public and one inner address is refused
            rule = address_rule(address)
            if rule:
                named = "" if host == address or host.strip("[]") == address else f"{host} resolves to {address}: "
                return f"{named}{rule}; drugstats fetches only public internet addresses"
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default = (scheme == "https" and port == 443) or (scheme == "http" and port == 80)
    shown = f"[{host}]" if ":" in host else host
    return Target(scheme, host, port, path, shown if default else f"{shown}:{port}", addresses[0])
