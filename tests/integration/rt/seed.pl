# Gives the test RT what the import test's tickets use: a global "Severity" custom field and a "Hardware" queue.
# Run with RT_SITE_CONFIG pointing at the peer's config: perl -I/usr/share/request-tracker5/lib seed.pl
use strict;
use warnings;
use RT;
RT::LoadConfig();
RT::Init();
my $cf = RT::CustomField->new(RT->SystemUser);
$cf->LoadByName(Name => "Severity", LookupType => "RT::Queue-RT::Ticket");
unless ($cf->id) {
    my ($ok, $msg) = $cf->Create(Name => "Severity", Type => "FreeformSingle", LookupType => "RT::Queue-RT::Ticket");
    die "custom field: $msg\n" unless $ok;
}
$cf->AddToObject(RT::Queue->new(RT->SystemUser));
my $queue = RT::Queue->new(RT->SystemUser);
$queue->Load("Hardware");
unless ($queue->id) {
    my ($ok, $msg) = $queue->Create(Name => "Hardware");
    die "queue: $msg\n" unless $ok;
}
print "seeded\n";
