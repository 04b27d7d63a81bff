#!/bin/bash
# A throwaway OpenLDAP server on loopback for the directory sign-in tests.
#   slapd.sh start DIR PORT   makes a CA and a certificate for StartTLS (written to DIR/ca.pem), loads people and
#                             groups from seed.ldif and groups.ldif, and serves ldap://localhost:PORT, which refuses
#                             a password bind without TLS as a careful company directory does.
#   slapd.sh stop DIR
# The service account Casebook searches with is cn=casebook,ou=services,dc=corp,dc=example / service-secret.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command=$1
dir=$2

if [ "$command" = stop ]; then
    [ -f "$dir/slapd.pid" ] || exit 0
    pid=$(cat "$dir/slapd.pid")
    kill "$pid" 2>/dev/null || exit 0
    # A caller that blocks SIGTERM (a test runner's threads) passes that mask on to slapd, which then never sees it.
    for _ in $(seq 20); do
        kill -0 "$pid" 2>/dev/null || exit 0
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    exit 0
fi

port=$3
mkdir -p "$dir/db"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Casebook test directory CA" -keyout "$dir/ca.key" -out "$dir/ca.pem" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$dir/server.ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 -extfile "$dir/server.ext" \
    -out "$dir/server.pem" 2>/dev/null
# slapd may run as its own user on Debian; everything here belongs to whoever runs the tests.
chmod 600 "$dir/server.key"

cat > "$dir/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
pidfile $dir/slapd.pid
TLSCACertificateFile $dir/ca.pem
TLSCertificateFile $dir/server.pem
TLSCertificateKeyFile $dir/server.key
security simple_bind=128

database mdb
suffix "dc=corp,dc=example"
rootdn "cn=admin,dc=corp,dc=example"
rootpw admin-secret
directory $dir/db
overlay memberof
access to attrs=userPassword by anonymous auth by self write by * none
access to * by dn.exact="cn=casebook,ou=services,dc=corp,dc=example" read by self read by * none
CONF

slapadd -q -f "$dir/slapd.conf" -l "$here/seed.ldif"
# The daemon must not keep any of the caller's descriptors open: Foundation's Process, for one, learns that its child
# ended when the last holder of an inherited socket closes it, and would wait for slapd to stop.
(
    for fd in $(ls /proc/$BASHPID/fd); do
        [ "$fd" -gt 2 ] && eval "exec $fd>&-"
    done
    exec slapd -f "$dir/slapd.conf" -h "ldap://127.0.0.1:$port/" </dev/null >"$dir/slapd.log" 2>&1
)
# Ready when it answers a search of the root entry, not when the pid file appears (it listens a little later).
ready=no
for _ in $(seq 100); do
    if ldapsearch -x -H "ldap://127.0.0.1:$port" -s base -b "" "(objectClass=*)" >/dev/null 2>&1; then ready=yes; break; fi
    sleep 0.1
done
if [ "$ready" != yes ]; then
    echo "slapd did not start on port $port:" >&2
    cat "$dir/slapd.log" >&2
    exit 1
fi
# Groups go in over LDAP so the memberOf overlay writes each member's memberOf.
# The seeding client only needs the channel encrypted; Casebook is the one whose certificate checks are tested.
LDAPTLS_REQCERT=never ldapadd -x -ZZ -H "ldap://127.0.0.1:$port" -D "cn=admin,dc=corp,dc=example" -w admin-secret \
    -f "$here/groups.ldif" >/dev/null
