package io.calltrack.session;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SourceClassifierTest {

    @ParameterizedTest(name = "{0} from {1} -> {2} / {3}")
    @CsvSource(nullValues = "null", delimiter = '|', textBlock = """
            https://shop.example/                                   | https://www.google.com/                          | google         | organic     | null           | null
            https://shop.example/                                   | https://www.google.co.uk/                        | google         | organic     | null           | null
            https://shop.example/p                                  | https://yandex.ru/search/?text=купить+диван      | yandex         | organic     | null           | купить диван
            https://shop.example/p                                  | https://ya.ru/                                   | yandex         | organic     | null           | null
            https://shop.example/                                   | https://www.bing.com/search?q=plumber+london     | bing           | organic     | null           | plumber london
            https://shop.example/                                   | https://duckduckgo.com/                          | duckduckgo     | organic     | null           | null
            https://shop.example/                                   | https://search.yahoo.com/search?p=sofa           | yahoo          | organic     | null           | sofa
            https://shop.example/?gclid=EAIaIQobChMI                | https://www.google.com/                          | google         | cpc         | null           | null
            https://shop.example/?gbraid=0AAAAA                     | null                                             | google         | cpc         | null           | null
            https://shop.example/?yclid=7462836482                  | https://yandex.ru/                               | yandex         | cpc         | null           | null
            https://shop.example/?msclkid=abc                       | null                                             | bing           | cpc         | null           | null
            https://shop.example/?fbclid=IwAR2x                     | https://l.facebook.com/                          | facebook       | paid-social | null           | null
            https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=brand&utm_term=red+sofa&gclid=x | https://www.google.com/ | google | cpc | brand | red sofa
            https://shop.example/?utm_source=newsletter&utm_medium=email&utm_campaign=nov | null            | newsletter     | email       | nov            | null
            https://shop.example/?utm_source=Yandex&utm_medium=CPC&utm_term=%D0%B4%D0%B8%D0%B2%D0%B0%D0%BD | null | yandex | cpc | null | диван
            https://shop.example/?utm_medium=billboard              | null                                             | (direct)       | billboard   | null           | null
            https://shop.example/                                   | https://m.facebook.com/                          | facebook       | social      | null           | null
            https://shop.example/                                   | https://t.co/abc                                 | twitter        | social      | null           | null
            https://shop.example/                                   | https://vk.com/away.php                          | vkontakte      | social      | null           | null
            https://shop.example/                                   | https://ok.ru/                                   | odnoklassniki  | social      | null           | null
            https://shop.example/                                   | https://www.google.com.br/search?q=sofa+cama     | google         | organic     | null           | sofa cama
            https://shop.example/                                   | https://www.ecosia.org/search?q=sofa             | ecosia         | organic     | null           | sofa
            https://shop.example/                                   | https://search.naver.com/search.naver?query=sofa | naver          | organic     | null           | sofa
            https://shop.example/                                   | https://www.baidu.com/s?wd=sofa                  | baidu          | organic     | null           | sofa
            https://shop.example/                                   | https://go.mail.ru/search?q=sofa                 | mailru         | organic     | null           | sofa
            https://shop.example/?utm_term=bought+keyword           | https://www.bing.com/search?q=typed+words        | bing           | organic     | null           | typed words
            https://shop.example/                                   | https://chatgpt.com/                             | chatgpt        | ai          | null           | null
            https://shop.example/                                   | https://www.perplexity.ai/search/abc             | perplexity     | ai          | null           | null
            https://shop.example/                                   | https://claude.ai/chat/1                         | claude         | ai          | null           | null
            https://shop.example/                                   | https://gemini.google.com/app                    | gemini         | ai          | null           | null
            https://shop.example/                                   | https://copilot.microsoft.com/                   | copilot        | ai          | null           | null
            https://shop.example/                                   | https://mail.google.com/                         | mail.google.com | email      | null           | null
            https://shop.example/                                   | https://e.mail.ru/inbox/                         | e.mail.ru      | email       | null           | null
            https://shop.example/                                   | https://googleads.g.doubleclick.net/pagead/ads   | googleads.g.doubleclick.net | display | null | null
            https://shop.example/?li_fat_id=abc                     | null                                             | linkedin       | paid-social | null           | null
            https://shop.example/?twclid=abc                        | https://t.co/x                                   | twitter        | paid-social | null           | null
            https://shop.example/                                   | https://t.me/channel                             | telegram       | social      | null           | null
            https://shop.example/                                   | https://www.linkedin.com/feed/                   | linkedin       | social      | null           | null
            https://shop.example/                                   | https://blog.partner.org/review                  | blog.partner.org | referral  | null           | null
            https://shop.example/                                   | https://es.search.yahoo.com/search;_ylt=A7x9?p=sofa | yahoo       | organic     | null           | sofa
            https://shop.example/                                   | https://s3-us3.ixquick.com/do/search             | ixquick        | organic     | null           | null
            https://shop.example/                                   | https://search.ke.voila.fr/?module=voila&kw=sofa | voila          | organic     | null           | sofa
            https://shop.example/                                   | https://www.aolsearch.com/search?query=sofa      | aolsearch.com  | organic     | null           | sofa
            https://shop.example/                                   | https://www.pricerunner.co.uk/search?q=sofa      | pricerunner.co.uk | organic  | null           | sofa
            https://shop.example/                                   | https://www.facebook.com/l.php?u=https%3A%2F%2Fshop.example | facebook | social | null       | null
            https://shop.example/                                   | https://lnk.bio/shop                             | lnk.bio        | social      | null           | null
            https://shop.example/                                   | https://forum.example.org/search                 | forum.example.org | referral | null           | null
            https://shop.example/                                   | null                                             | (direct)       | (none)      | null           | null
            https://shop.example/cart                               | https://shop.example/catalog                     | (direct)       | (none)      | null           | null
            https://shop.example/                                   | not a url at all                                 | (direct)       | (none)      | null           | null
            """)
    void classifiesRealWorldUrls(String landing, String referrer, String source, String medium, String campaign, String keyword) {
        TrafficSource t = SourceClassifier.classify(landing, referrer);
        assertEquals(source, t.source());
        assertEquals(medium, t.medium());
        assertEquals(campaign, t.campaign());
        assertEquals(keyword, t.keyword());
    }

    @org.junit.jupiter.api.Test
    void keepsClickIdsReferrerDomainAndLandingPath() {
        TrafficSource t = SourceClassifier.classify("https://shop.example/sofas/red?gclid=G1&fbclid=F1&yclid=Y1",
                "https://www.google.de/");
        assertEquals("G1", t.gclid());
        assertEquals("F1", t.fbclid());
        assertEquals("Y1", t.yclid());
        assertEquals("google.de", t.referrerDomain());
        assertEquals("/sofas/red", t.landingPath());
    }
}
