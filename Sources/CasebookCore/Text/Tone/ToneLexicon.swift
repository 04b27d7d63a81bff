/// Words and phrases that signal a tone, with weights; written for support conversations in English and Spanish.
///
/// Phrases are matched on lower-cased word sequences, longest first, so "thank you" counts once
/// and "not working" is a frustration phrase rather than a negated "working".
public struct ToneLexicon: Sendable {
    public let entries: [String: (tone: Tone, weight: Double)]
    /// The longest phrase, in words.
    public let longest: Int

    public init(entries: [String: (tone: Tone, weight: Double)]) {
        self.entries = entries
        longest = entries.keys.map { $0.split(separator: " ").count }.max() ?? 1
    }

    public static let standard = ToneLexicon(entries: build())

    private static func build() -> [String: (tone: Tone, weight: Double)] {
        var entries: [String: (tone: Tone, weight: Double)] = [:]
        func add(_ tone: Tone, _ weight: Double, _ words: String) {
            for phrase in words.split(separator: ",") {
                entries[phrase.trimmingCharacters(in: .whitespaces)] = (tone, weight)
            }
        }
        add(.angry, 3, """
            unacceptable, ridiculous, outrageous, disgraceful, disgusting, pathetic, incompetent, incompetence, useless, worthless, \
            furious, livid, appalling, shameful, scam, fraud, lawyer, lawyers, legal action, sue, rip off, ripoff, joke, \
            worst, garbage, rubbish, insulting, insult, absurd, unbelievable, disgrace, fed up, sick of, sick and tired, \
            had enough, last straw, cancel our contract, cancel my contract, cancelling, canceling, terminate the contract, \
            switching to a competitor, never again, wtf, damn, hell, bloody, liars, lying, lied, nonsense, idiots, idiotic, \
            outraged, disgusted, enough is enough, legal department, legal team, your fault, \
            inaceptable, vergüenza, indignante, ridículo, estafa, harto, harta, hartos, basura, inútiles, inútil, denuncia
            """)
        add(.angry, 2, """
            angry, terrible, escalate, horrible, awful, disaster, demand, demanding, immediately, refund, compensation, \
            escalate this, your manager, a manager, supervisor, complaint, formal complaint, enfadado, enfadada, furioso, exijo
            """)
        // Blame, threats to leave, demands for redress and contempt: how anger is usually put in writing,
        // even without a single swear word.
        add(.angry, 3, """
            how dare, how dare you, you people, so-called, so called, shambles, appalled, beyond incompetent, \
            taking our business elsewhere, take our business elsewhere, moving to another provider, find another provider, \
            another supplier, i am done, i'm done, we are done, i've had it, i have had it, had it with, regret ever, regret signing, \
            lied to, been lied, security breach, written apology, full refund, the decency, some kind of joke, what the hell, \
            do you even, treated like, won't accept, will not accept, not acceptable, someone senior, human being, your excuses, \
            excuses, who authorised, who authorized, who is going to pay, nobody takes responsibility, takes responsibility, \
            put me through, never happen again, disgrace, shameful, unprofessional, negligent, negligence, contempt
            """)
        add(.angry, 2, """
            explain this, explain yourselves, by noon, by tomorrow, right now, blame, blaming, promised, you promised, \
            without permission, without any warning, without warning, no warning, charged us twice, overcharged, never done, \
            premium support, we pay for, paying for, our legal, escalating this, third outage, again this month
            """)
        add(.frustrated, 2, """
            frustrating, frustrated, frustration, annoying, annoyed, disappointed, disappointing, disappointment, \
            still not, still broken, still waiting, still no, still having, still getting, still down, again and again, once again, yet again, \
            third time, second time, fourth time, several times, multiple times, every time, keeps happening, keeps failing, \
            keeps crashing, keeps dropping, no response, no reply, no answer, nobody, no one, not working, doesn't work, does not work, \
            isn't working, stopped working, not fixed, not resolved, waiting, waited, chasing, \
            follow up, following up, any update, any news, going in circles, stuck, confused, confusing, struggling, \
            tired of, losing time, wasting, wasted, impossible, unable, can't, cannot, still, again, \
            is anyone, anyone there, anybody there, anyone looking, has not arrived, hasn't arrived, never arrived, did not turn up, \
            didn't turn up, no explanation, going on for, nothing changed, still open, every single time, every morning, came back, \
            is back, happened again, happening again, whenever, keeps, keep getting, keep losing, unreliable, unhappy, trouble, \
            did not fix, didn't fix, did not solve, didn't solve, not solve, not fix, twice, three times, cut off, nobody did, \
            sigh, ugh, frustrante, molesto, otra vez, todavía, sigue sin, sin respuesta, esperando, decepcionado
            """)
        add(.frustrated, 2, """
            keeps dropping, back and forth, no difference, made no difference, none of them worked, didn't last, did not last, \
            takes ages, ages, no word, nothing has changed, losing time, losing a lot of time, really annoying, getting annoying, \
            same issue, same problem, same error, as before, came back, chase, chased, still no word, had to chase, \
            how long, much longer, longer than, taking longer, we were told, i was told, sadly, bit disappointing, \
            need this working, need this fixed, any progress, hasn't been, has not been, nobody has, no one has, won't, wont, \
            doesn't, didn't work, did not work, didn't help, did not help, still there, still shows, still can't, \
            overheating, offline again, down again, failed again, not sure why, can't plan, cannot plan
            """)
        add(.frustrated, 1, """
            problem, problems, issue, issues, broken, fails, failing, failed, error, errors, slow, crash, crashes, crashing, \
            wrong, bad, worse, unfortunately, why, lost, missing, late, delay, delayed, drops, dropping, flickers, bouncing, \
            reassigned, please look, días, semanas, sigue
            """)
        add(.positive, 3, """
            thank you so much, thanks so much, many thanks, thanks a lot, thanks a million, much appreciated, really appreciate, \
            excellent, fantastic, brilliant, amazing, awesome, superb, outstanding, wonderful, perfect, delighted, \
            life saver, lifesaver, you rock, you're the best, great job, great work, well done, kudos, muchas gracias, genial, excelente
            """)
        add(.positive, 3, """
            did the trick, really impressed, impressed, top marks, beautifully, smoothly, professional and friendly, \
            very professional, went the extra mile, extra mile, you guys are great, loved it, happy to confirm, thanks again
            """)
        add(.positive, 2, """
            professional, friendly, patience, have a good, pleased with, happy with, working again, works again, back online, \
            up and running, all sorted, sorted out, exactly what we needed, as always, lovely, pleasure
            """)
        add(.positive, 2, """
            thanks, thank you, thank, thx, cheers, rock, appreciate, appreciated, grateful, great, glad, happy, pleased, helpful, \
            works now, working now, all good, sorted, solved, resolved, fixed it, that fixed, that worked, it worked, quick, \
            fast response, quick response, love, nice, good news, gracias, perfecto, funciona
            """)
        return entries
    }
}
