#!/bin/bash
# A throwaway Dovecot (IMAP and POP3) on loopback for the mailbox-fetching tests.
#   dovecot.sh start DIR PORT   makes a CA and a certificate (DIR/ca.pem) and serves, on 127.0.0.1:
#                               PORT IMAP with STARTTLS, PORT+1 IMAP over TLS, PORT+2 POP3 over TLS.
#                               Users (password "mail-secret"): support, sales. Maildirs under DIR/mail/USER.
#   dovecot.sh start DIR PORT INTROSPECTION_URL
#                               also takes OAuth2 access tokens (SASL XOAUTH2 and OAUTHBEARER), checked by POSTing them
#                               to INTROSPECTION_URL (RFC 7662), whose answer names the user in "username".
#   dovecot.sh start DIR PORT INTROSPECTION_URL RELAY_PORT
#                               also serves SMTP submission (STARTTLS, AUTH PLAIN/XOAUTH2) on PORT+3, relaying what it
#                               takes to 127.0.0.1:RELAY_PORT, as Microsoft 365's smtp.office365.com takes a help desk's mail.
#   dovecot.sh stop DIR
# Mail is owned by the user running this script when it is not root, by Dovecot's own user when it is.
set -euo pipefail
command=$1
dir=$2

if [ "$command" = stop ]; then
    [ -f "$dir/run/master.pid" ] || exit 0
    pid=$(cat "$dir/run/master.pid")
    kill "$pid" 2>/dev/null || exit 0
    for _ in $(seq 30); do
        kill -0 "$pid" 2>/dev/null || exit 0
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    exit 0
fi

port=$3
introspection=${4:-}
relay=${5:-}
mkdir -p "$dir/run" "$dir/mail"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Casebook test mail CA" -keyout "$dir/ca.key" -out "$dir/ca.pem" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$dir/server.ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 -extfile "$dir/server.ext" \
    -out "$dir/server.pem" 2>/dev/null
chmod 600 "$dir/server.key"

if [ "$(id -u)" = 0 ]; then
    owner=dovecot
    login_user=dovenull
    internal_user=dovecot
else
    owner=$(id -un)
    login_user=$owner
    internal_user=$owner
fi
uid=$(id -u "$owner")
gid=$(id -g "$owner")
for user in support sales; do
    mkdir -p "$dir/mail/$user/cur" "$dir/mail/$user/new" "$dir/mail/$user/tmp"
    printf '%s:{PLAIN}mail-secret:%s:%s::%s/mail/%s::\n' "$user" "$uid" "$gid" "$dir" "$user"
done > "$dir/users"
chown -R "$owner" "$dir/mail"
chmod 755 "$dir"

mechanisms="plain login"
oauth_passdb=""
if [ -n "$introspection" ]; then
    mechanisms="plain login xoauth2 oauthbearer"
    cat > "$dir/oauth2.conf.ext" <<CONF
introspection_mode = post
introspection_url = $introspection
username_attribute = username
active_attribute = active
active_value = true
CONF
    oauth_passdb="passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $dir/oauth2.conf.ext
}"
fi

protocols="imap pop3"
submission=""
if [ -n "$relay" ]; then
    protocols="imap pop3 submission"
    submission="hostname = casebook-test.localhost
submission_relay_host = 127.0.0.1
submission_relay_port = $relay
submission_relay_trusted = yes
service submission-login {
  chroot =
  inet_listener submission {
    address = 127.0.0.1
    port = $((port + 3))
  }
}"
fi

cat > "$dir/dovecot.conf" <<CONF
base_dir = $dir/run
state_dir = $dir/run
instance_name = casebook-test-$port
protocols = $protocols
listen = 127.0.0.1
log_path = $dir/dovecot.log
default_login_user = $login_user
default_internal_user = $internal_user
first_valid_uid = 1
ssl = yes
ssl_cert = <$dir/server.pem
ssl_key = <$dir/server.key
disable_plaintext_auth = yes
auth_mechanisms = $mechanisms
mail_location = maildir:~
mail_plugins =
protocol imap {
  mail_max_userip_connections = 50
}
$oauth_passdb
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN $dir/users
}
userdb {
  driver = passwd-file
  args = $dir/users
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $((port + 1))
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    address = 127.0.0.1
    port = $((port + 2))
    ssl = yes
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
service pop3-login {
  chroot =
}
$submission
CONF

# The daemon must not keep any of the caller's descriptors open (Foundation's Process waits for the last holder).
(
    for fd in $(ls /proc/$BASHPID/fd); do
        [ "$fd" -gt 2 ] && eval "exec $fd>&-"
    done
    exec dovecot -c "$dir/dovecot.conf" </dev/null >"$dir/start.log" 2>&1
)
ready=no
for _ in $(seq 100); do
    if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then ready=yes; break; fi
    sleep 0.1
done
if [ "$ready" != yes ]; then
    echo "dovecot did not start on port $port:" >&2
    cat "$dir/start.log" "$dir/dovecot.log" >&2 2>/dev/null || true
    exit 1
fi
