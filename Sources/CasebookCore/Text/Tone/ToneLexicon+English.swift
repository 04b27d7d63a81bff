/// English: the words support conversations use for anger, frustration and thanks.
extension ToneLexicon {
    static let english: ToneLexicon = {
        var lexicon = Builder(.english)
        lexicon.add(.angry, 3, """
            unacceptable, ridiculous, outrageous, disgraceful, disgusting, pathetic, incompetent, incompetence, useless, worthless, \
            furious, livid, appalling, shameful, scam, fraud, lawyer, lawyers, legal action, sue, rip off, ripoff, joke, \
            worst, garbage, rubbish, insulting, insult, absurd, unbelievable, disgrace, fed up, sick of, sick and tired, \
            had enough, last straw, cancel our contract, cancel my contract, cancelling, canceling, terminate the contract, \
            switching to a competitor, never again, wtf, damn, hell, bloody, liars, lying, lied, nonsense, idiots, idiotic, \
            outraged, disgusted, enough is enough, legal department, legal team, your fault
            """)
        lexicon.add(.angry, 2, """
            angry, terrible, escalate, horrible, awful, disaster, demand, demanding, immediately, refund, compensation, \
            escalate this, your manager, a manager, supervisor, complaint, formal complaint
            """)
        // Blame, threats to leave, demands for redress and contempt: how anger is usually put in writing,
        // even without a single swear word.
        lexicon.add(.angry, 3, """
            how dare, how dare you, you people, so-called, so called, shambles, appalled, beyond incompetent, \
            taking our business elsewhere, take our business elsewhere, moving to another provider, find another provider, \
            another supplier, i am done, i'm done, we are done, i've had it, i have had it, had it with, regret ever, regret signing, \
            lied to, been lied, security breach, written apology, full refund, the decency, some kind of joke, what the hell, \
            do you even, treated like, won't accept, will not accept, not acceptable, someone senior, human being, your excuses, \
            excuses, who authorised, who authorized, who is going to pay, nobody takes responsibility, takes responsibility, \
            put me through, never happen again, disgrace, shameful, unprofessional, negligent, negligence, contempt
            """)
        lexicon.add(.angry, 2, """
            explain this, explain yourselves, by noon, by tomorrow, right now, blame, blaming, promised, you promised, \
            without permission, without any warning, without warning, no warning, charged us twice, overcharged, never done, \
            premium support, we pay for, paying for, our legal, escalating this, third outage, again this month
            """)
        lexicon.add(.frustrated, 2, """
            frustrating, frustrated, frustration, annoying, annoyed, disappointed, disappointing, disappointment, \
            still not, still broken, still waiting, still no, still having, still getting, still down, again and again, once again, yet again, \
            third time, second time, fourth time, several times, multiple times, every time, keeps happening, keeps failing, \
            keeps crashing, keeps dropping, no response, no reply, no answer, nobody, no one, not fixed, not resolved, waiting, waited, chasing, \
            follow up, following up, any update, any news, going in circles, stuck, confused, confusing, struggling, \
            tired of, losing time, wasting, wasted, impossible, \
            is anyone, anyone there, anybody there, anyone looking, has not arrived, hasn't arrived, never arrived, did not turn up, \
            didn't turn up, no explanation, going on for, nothing changed, still open, every single time, every morning, came back, \
            is back, happened again, happening again, whenever, keeps, keep getting, keep losing, unreliable, unhappy, trouble, \
            did not fix, didn't fix, did not solve, didn't solve, not solve, not fix, twice, three times, cut off, nobody did, \
            sigh, ugh
            """)
        lexicon.add(.frustrated, 2, """
            keeps dropping, back and forth, no difference, made no difference, none of them worked, didn't last, did not last, \
            takes ages, ages, no word, nothing has changed, losing time, losing a lot of time, really annoying, getting annoying, \
            same issue, same problem, same error, as before, came back, chase, chased, still no word, had to chase, \
            much longer, for weeks, for days, still the same, keep failing, keep crashing, keep dropping, spent hours, hours on this, offline again, down again, failed again, failing again, slow again, \
            not again, another day without, longer than, taking longer, we were told, i was told, sadly, bit disappointing, \
            need this working, need this fixed, any progress, hasn't been, has not been, nobody has, no one has, \
            still there, still shows, still can't, \
            not sure why, can't plan, cannot plan
            """)
        lexicon.add(.frustrated, 1, """
            wrong, bad, worse, unfortunately, why, late, delay, delayed, \
            reassigned, please look
            """)
        lexicon.add(.positive, 3, """
            thank you so much, thanks so much, many thanks, thanks a lot, thanks a million, much appreciated, really appreciate, \
            excellent, fantastic, brilliant, amazing, awesome, superb, outstanding, wonderful, perfect, delighted, \
            life saver, lifesaver, you rock, you're the best, great job, great work, well done, kudos
            """)
        lexicon.add(.positive, 3, """
            did the trick, really impressed, impressed, top marks, beautifully, smoothly, professional and friendly, \
            very professional, went the extra mile, extra mile, you guys are great, loved it, happy to confirm, thanks again
            """)
        lexicon.add(.positive, 2, """
            professional, friendly, patience, have a good, pleased with, happy with, working again, works again, back online, \
            up and running, all sorted, sorted out, exactly what we needed, as always, lovely, pleasure
            """)
        lexicon.add(.positive, 2, """
            thanks, thank you, thank, thx, cheers, rock, appreciate, appreciated, grateful, great, glad, happy, pleased, helpful, \
            works now, working now, all good, sorted, solved, resolved, fixed it, that fixed, that worked, it worked, quick, \
            fast response, quick response, love, nice, good news
            """)
        // Persistence: with a fault word ("still flickers", "down again") it makes frustration, alone it does not.
        lexicon.add(.frustrated, 1.5, "still, again")
        lexicon.add(.frustrated, 1, """
            keep bouncing, don't know why, do not know why, slowing us down, so slow, didn't work, did not work, didn't help, did not help, how long, \
            not sure why, unable to work, can't work, cannot work
            """)
        lexicon.fault("""
            problem, problems, issue, issues, broken, fails, failing, failed, fail, error, errors, slow, crash, crashes, crashing, \
            crashed, lost, missing, drops, dropping, dropped, flickers, bouncing, down, offline, outage, not working, doesn't work, \
            does not work, isn't working, is not working, stopped working, won't, wont, doesn't, can't, cannot, unable, overheating, \
            did not arrive, didn't arrive, not arrived, freezes, frozen, hangs, timeout, timed out, corrupt, corrupted, bug, fault, faulty, failure, disconnects, disconnected
            """)
        return lexicon.lexicon(
            negations: """
                not, no, never, don't, dont, doesn't, doesnt, didn't, didnt, isn't, isnt, wasn't, wasnt, aren't, won't, wont, \
                nothing, hardly, without, nor, neither
                """,
            intensifiers: "very, so, really, extremely, absolutely, completely, totally, utterly, truly, incredibly, seriously, super, highly, deeply, most",
            reassurances: "no problem, no worries, not a problem, no rush, no hurry",
            courtesies: "thanks in advance, thank you in advance, many thanks in advance, thanks for looking into this, thank you for looking into this, thanks for checking, thanks for your time, thank you for your time, thanks and regards, thanks & regards, kind regards, best regards",
            calm: "regards, hi, hello, dear, best, attached, attachment, log, logs, screenshot, screenshots, details, below, version, build, serial, kind, cheers, morning, afternoon",
            emphatic: """
                not, now, why, stop, never, enough, again, still, fix, today, immediately, what, how, this, the, is, are, you, your, all, \
                any, need, want, must, third, fourth, fifth, broken, working, call, me, us, we, it, had, have, time, same, every, \
                nobody, refund, writing, about, invoice, demand
                """)
    }()
}
