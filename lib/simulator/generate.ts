/**
 * Seedable generator of realistic LiveSession `session.event` webhook deliveries.
 *
 * Used for the product demo (a live dashboard within a minute) and as the load generator for
 * benchmarks (`scripts/simulate.ts`). Everything except `message_id` is a pure function of the
 * seed, the options, the sequence of `next()` calls and the `now` passed to them; `message_id`
 * comes from `crypto.randomUUID()` (it has to be unique across runs, or the app would take a
 * second run with the same seed for retries) unless a `randomUUID` is injected.
 *
 * Facts beyond the public docs that this encodes:
 * - ErrorClick's key is `message` (API schema); the docs' example spells it `messsage`, and now
 *   and then we send that spelling too.
 * - Custom-event property keys are typed by suffix (`_str`, `_int`, `_float`, `_bool`); now and
 *   then a value does not match its suffix or a key has no suffix (LiveSession passes those on).
 * - `payload.time` is in milliseconds mostly, sometimes in deciseconds like the docs' example
 *   (there `time` is ten times `created_at`, which is unix seconds).
 */

export const EVENT_KINDS = ["JSError", "NetError", "ErrorClick", "RageClick", "Custom"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Default share of each kind among non-burst deliveries (relative weights). */
export const DEFAULT_KIND_WEIGHTS: Readonly<Record<EventKind, number>> = {
  JSError: 38,
  NetError: 30,
  ErrorClick: 6,
  RageClick: 8,
  Custom: 18,
};

export const PROPERTY_SUFFIXES = ["_str", "_int", "_float", "_bool"] as const;

export interface SimulatedWebsite {
  /** Short hex id like the docs' `8d53ea3`; stable across seeds. */
  readonly id: string;
  readonly accountId: string;
  readonly webhookId: string;
  readonly name: string;
  /** Host of the site itself, e.g. `shop.example`. */
  readonly host: string;
  readonly apiBase: string;
  readonly cdnBase: string;
}

export interface SimulationOptions {
  /** PRNG seed (any integer; default 1). */
  seed?: number;
  /** Number of websites (default 3). The first three have fixed ids, further ones derived ids. */
  websites?: number;
  /** Size of the visitor population (default 5,000). */
  visitors?: number;
  /** Probability that `next()` returns an earlier delivery again, byte for byte (default 0.02). */
  duplicateRate?: number;
  /** Relative kind weights; missing kinds keep their default weight. */
  kindWeights?: Partial<Record<EventKind, number>>;
  /** Source of `message_id`s (default `crypto.randomUUID`). Inject one for fully identical bodies. */
  randomUUID?: () => string;
}

export interface SimulatedDelivery {
  /** JSON text to POST (sign exactly these bytes). */
  body: string;
  messageId: string;
  /** True when this is an earlier delivery sent again (a retry): `body` is identical. */
  isDuplicate: boolean;
  /** True when produced for a burst (`next(now, { burst })`). */
  isBurst: boolean;
  kind: EventKind;
  websiteId: string;
  accountId: string;
}

/** One error to spike, from `createBurst()`; pass it to `next(now, { burst })`. */
export interface BurstSpec {
  readonly kind: "JSError" | "NetError";
  readonly websiteId: string;
  /** Human-readable label for logs, e.g. `JSError "TypeError: …"` or `NetError POST …/checkout 503`. */
  readonly description: string;
  /** Internal: which template, website and (for NetError) status. */
  readonly source: {
    readonly list: "js" | "regression" | "net";
    readonly index: number;
    readonly websiteIndex: number;
    readonly status?: number;
  };
}

export interface NextOptions {
  /** Produce a delivery of this burst's error (never a duplicate). */
  burst?: BurstSpec;
  /** Force the kind of a fresh delivery (never a duplicate). */
  kind?: EventKind;
}

export interface Simulation {
  readonly seed: number;
  readonly websites: readonly SimulatedWebsite[];
  readonly visitorCount: number;
  next(now?: Date, options?: NextOptions): SimulatedDelivery;
  /** Pick an error to spike: an existing frequent error, a fresh "release regression", or a failing endpoint. */
  createBurst(): BurstSpec;
}

// ---------------------------------------------------------------------------------------------
// PRNG and sampling helpers

/** mulberry32: small, fast, good-enough 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a 32-bit hash of a string, for deriving stable sub-seeds and ids. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

type Rng = () => number;

function intIn(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error("pick from empty list");
  return item;
}

const HEX = "0123456789abcdef";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

function chars(rng: Rng, alphabet: string, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(rng() * alphabet.length)];
  return out;
}

/** UUID v4 from the PRNG (deterministic; for visitor ids and ids inside URLs, not message ids). */
function seededUuid(rng: Rng): string {
  const h = chars(rng, HEX, 32).split("");
  h[12] = "4";
  h[16] = HEX[8 + Math.floor(rng() * 4)] ?? "8";
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Weighted sampling by binary search over cumulative weights. */
class WeightedTable<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;
  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    if (items.length === 0 || items.length !== weights.length) throw new Error("bad weighted table");
    let sum = 0;
    for (const w of weights) {
      sum += Math.max(0, w);
      this.cumulative.push(sum);
    }
    if (sum <= 0) throw new Error("weighted table with zero total weight");
    this.total = sum;
  }
  static of<T>(pairs: readonly (readonly [T, number])[]): WeightedTable<T> {
    return new WeightedTable(
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    );
  }
  sampleIndex(rng: Rng): number {
    const x = rng() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] ?? 0) > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
  sample(rng: Rng): T {
    return this.items[this.sampleIndex(rng)] as T;
  }
}

function zipfWeights(n: number, s: number): number[] {
  return Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, s));
}

// ---------------------------------------------------------------------------------------------
// Static data: websites, geography, names

const DEFAULT_WEBSITES: readonly SimulatedWebsite[] = [
  {
    id: "8d53ea3",
    accountId: "3ca3b1b",
    webhookId: "542de45",
    name: "Shop",
    host: "shop.example",
    apiBase: "https://api.shop.example",
    cdnBase: "https://cdn.shop.example",
  },
  {
    id: "2f9c4e1",
    accountId: "3ca3b1b",
    webhookId: "9b07d3a",
    name: "Shop Admin",
    host: "admin.shop.example",
    apiBase: "https://admin-api.shop.example",
    cdnBase: "https://cdn.shop.example",
  },
  {
    id: "c71a0b6",
    accountId: "e04f8d2",
    webhookId: "61ce5f0",
    name: "Travel Booking",
    host: "book.travel.example",
    apiBase: "https://api.travel.example",
    cdnBase: "https://static.travel.example",
  },
];

/** Share of traffic per website rank (first is the busiest). */
const WEBSITE_TRAFFIC = [60, 22, 18];

function buildWebsites(n: number): SimulatedWebsite[] {
  const out: SimulatedWebsite[] = [];
  for (let i = 0; i < n; i++) {
    const preset = DEFAULT_WEBSITES[i];
    if (preset) {
      out.push(preset);
      continue;
    }
    const hex = (label: string) => (hash32(`${label}-${i}`) >>> 4).toString(16).padStart(7, "0").slice(-7);
    const slug = `site${i + 1}`;
    out.push({
      id: hex("website"),
      accountId: i % 2 === 0 ? "3ca3b1b" : "e04f8d2",
      webhookId: hex("webhook"),
      name: `Site ${i + 1}`,
      host: `${slug}.example`,
      apiBase: `https://api.${slug}.example`,
      cdnBase: `https://cdn.${slug}.example`,
    });
  }
  return out;
}

interface Country {
  code: string;
  weight: number;
  locale: string;
  /** [city, region, weight] */
  cities: readonly (readonly [string, string, number])[];
  first: readonly string[];
  last: readonly string[];
}

const COUNTRIES: readonly Country[] = [
  {
    code: "US",
    weight: 30,
    locale: "en-US",
    cities: [
      ["New York", "New York", 14],
      ["Los Angeles", "California", 10],
      ["Chicago", "Illinois", 7],
      ["Houston", "Texas", 5],
      ["San Francisco", "California", 6],
      ["Seattle", "Washington", 5],
      ["Austin", "Texas", 4],
      ["Boston", "Massachusetts", 4],
      ["Miami", "Florida", 4],
      ["Denver", "Colorado", 3],
      ["Atlanta", "Georgia", 3],
      ["Ashburn", "Virginia", 2],
    ],
    first: ["James", "Mary", "Michael", "Jennifer", "David", "Emily", "Chris", "Jessica", "Daniel", "Ashley", "Ryan", "Sarah", "Tyler", "Megan", "Brandon", "Olivia", "Ethan", "Madison", "Jacob", "Zoë"],
    last: ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "O'Brien", "Nguyen", "Kim", "Patel"],
  },
  {
    code: "DE",
    weight: 9,
    locale: "de-DE",
    cities: [
      ["Berlin", "Land Berlin", 10],
      ["Munich", "Bavaria", 7],
      ["Hamburg", "Hamburg", 6],
      ["Frankfurt am Main", "Hesse", 5],
      ["Cologne", "North Rhine-Westphalia", 4],
      ["Stuttgart", "Baden-Württemberg", 3],
      ["Düsseldorf", "North Rhine-Westphalia", 3],
      ["Leipzig", "Saxony", 2],
    ],
    first: ["Lukas", "Anna", "Leon", "Lena", "Jonas", "Marie", "Felix", "Sophie", "Maximilian", "Laura", "Jürgen", "Katrin", "Tobias", "Julia"],
    last: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Groß"],
  },
  {
    code: "GB",
    weight: 8,
    locale: "en-GB",
    cities: [
      ["London", "England", 16],
      ["Manchester", "England", 4],
      ["Birmingham", "England", 3],
      ["Edinburgh", "Scotland", 3],
      ["Bristol", "England", 2],
      ["Leeds", "England", 2],
      ["Glasgow", "Scotland", 2],
      ["Cardiff", "Wales", 1],
      ["Belfast", "Northern Ireland", 1],
    ],
    first: ["Oliver", "Amelia", "Harry", "Isla", "George", "Ava", "Jack", "Poppy", "Charlie", "Freya", "Alfie", "Grace", "Thomas", "Sophie"],
    last: ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Roberts", "Walker", "Wright", "Hughes", "Edwards", "Clarke"],
  },
  {
    code: "IN",
    weight: 7,
    locale: "en-IN",
    cities: [
      ["Bengaluru", "Karnataka", 8],
      ["Mumbai", "Maharashtra", 7],
      ["New Delhi", "National Capital Territory of Delhi", 6],
      ["Hyderabad", "Telangana", 5],
      ["Chennai", "Tamil Nadu", 4],
      ["Pune", "Maharashtra", 4],
      ["Kolkata", "West Bengal", 2],
    ],
    first: ["Aarav", "Priya", "Rohan", "Ananya", "Arjun", "Diya", "Vikram", "Sneha", "Rahul", "Kavya", "Aditya", "Pooja"],
    last: ["Sharma", "Patel", "Reddy", "Iyer", "Gupta", "Singh", "Kumar", "Nair", "Mehta", "Rao", "Joshi", "Das"],
  },
  {
    code: "PL",
    weight: 6,
    locale: "pl-PL",
    cities: [
      ["Warsaw", "Mazowieckie", 10],
      ["Krakow", "Malopolskie", 6],
      ["Wroclaw", "Dolnoslaskie", 5],
      ["Gdansk", "Pomorskie", 3],
      ["Poznan", "Wielkopolskie", 3],
      ["Lodz", "Lodzkie", 2],
      ["Katowice", "Slaskie", 2],
    ],
    first: ["Jakub", "Anna", "Kacper", "Zuzanna", "Piotr", "Katarzyna", "Łukasz", "Małgorzata", "Tomasz", "Agnieszka", "Michał", "Joanna"],
    last: ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski"],
  },
  {
    code: "FR",
    weight: 5,
    locale: "fr-FR",
    cities: [
      ["Paris", "Île-de-France", 12],
      ["Lyon", "Auvergne-Rhône-Alpes", 4],
      ["Marseille", "Provence-Alpes-Côte d'Azur", 3],
      ["Toulouse", "Occitanie", 3],
      ["Lille", "Hauts-de-France", 2],
      ["Bordeaux", "Nouvelle-Aquitaine", 2],
      ["Nantes", "Pays de la Loire", 2],
    ],
    first: ["Gabriel", "Emma", "Louis", "Jade", "Raphaël", "Louise", "Jules", "Chloé", "Hugo", "Léa", "François", "Camille"],
    last: ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Lefèvre", "Girard"],
  },
  {
    code: "BR",
    weight: 5,
    locale: "pt-BR",
    cities: [
      ["São Paulo", "São Paulo", 12],
      ["Rio de Janeiro", "Rio de Janeiro", 6],
      ["Belo Horizonte", "Minas Gerais", 3],
      ["Curitiba", "Paraná", 2],
      ["Porto Alegre", "Rio Grande do Sul", 2],
      ["Brasília", "Federal District", 2],
      ["Recife", "Pernambuco", 1],
    ],
    first: ["Miguel", "Alice", "Arthur", "Helena", "Heitor", "Laura", "João", "Maria", "Davi", "Valentina", "Lucas", "Beatriz"],
    last: ["Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes", "Conceição", "Araújo"],
  },
  {
    code: "CA",
    weight: 4,
    locale: "en-CA",
    cities: [
      ["Toronto", "Ontario", 9],
      ["Vancouver", "British Columbia", 5],
      ["Montreal", "Quebec", 5],
      ["Calgary", "Alberta", 3],
      ["Ottawa", "Ontario", 2],
      ["Edmonton", "Alberta", 2],
    ],
    first: ["Liam", "Olivia", "Noah", "Charlotte", "William", "Emma", "Benjamin", "Chloé", "Lucas", "Maya", "Étienne", "Ava"],
    last: ["Smith", "Brown", "Tremblay", "Martin", "Roy", "Wilson", "MacDonald", "Gagnon", "Johnson", "Taylor", "Côté", "Campbell"],
  },
  {
    code: "JP",
    weight: 3,
    locale: "ja-JP",
    cities: [
      ["Tokyo", "Tokyo", 12],
      ["Osaka", "Osaka", 5],
      ["Yokohama", "Kanagawa", 3],
      ["Nagoya", "Aichi", 2],
      ["Fukuoka", "Fukuoka", 2],
      ["Sapporo", "Hokkaido", 1],
    ],
    first: ["Haruto", "Yui", "Sota", "Hina", "Yuto", "Aoi", "Ren", "Sakura", "Kenji", "Yuki"],
    last: ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato"],
  },
  {
    code: "NL",
    weight: 3,
    locale: "nl-NL",
    cities: [
      ["Amsterdam", "North Holland", 9],
      ["Rotterdam", "South Holland", 4],
      ["Utrecht", "Utrecht", 3],
      ["The Hague", "South Holland", 3],
      ["Eindhoven", "North Brabant", 2],
    ],
    first: ["Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Finn", "Tess", "Bram", "Sanne"],
    last: ["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer"],
  },
  {
    code: "ES",
    weight: 3,
    locale: "es-ES",
    cities: [
      ["Madrid", "Madrid", 8],
      ["Barcelona", "Catalonia", 7],
      ["Valencia", "Valencia", 3],
      ["Seville", "Andalusia", 2],
      ["Málaga", "Andalusia", 2],
      ["Bilbao", "Basque Country", 1],
    ],
    first: ["Hugo", "Lucía", "Martín", "Sofía", "Pablo", "Martina", "Alejandro", "María", "Javier", "Paula"],
    last: ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Núñez"],
  },
  {
    code: "IT",
    weight: 2.5,
    locale: "it-IT",
    cities: [
      ["Milan", "Lombardy", 7],
      ["Rome", "Lazio", 7],
      ["Turin", "Piedmont", 3],
      ["Naples", "Campania", 2],
      ["Bologna", "Emilia-Romagna", 2],
      ["Florence", "Tuscany", 2],
    ],
    first: ["Leonardo", "Sofia", "Francesco", "Giulia", "Alessandro", "Aurora", "Lorenzo", "Alice", "Matteo", "Chiara"],
    last: ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco"],
  },
  {
    code: "AU",
    weight: 2.5,
    locale: "en-AU",
    cities: [
      ["Sydney", "New South Wales", 8],
      ["Melbourne", "Victoria", 7],
      ["Brisbane", "Queensland", 3],
      ["Perth", "Western Australia", 2],
      ["Adelaide", "South Australia", 1],
    ],
    first: ["Jack", "Charlotte", "Oliver", "Mia", "William", "Isla", "Noah", "Olivia", "Cooper", "Matilda"],
    last: ["Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Nguyen", "Johnson", "Kelly", "Ryan"],
  },
  {
    code: "SE",
    weight: 1.5,
    locale: "sv-SE",
    cities: [
      ["Stockholm", "Stockholm County", 6],
      ["Gothenburg", "Västra Götaland County", 3],
      ["Malmö", "Skåne County", 2],
      ["Uppsala", "Uppsala County", 1],
    ],
    first: ["Oscar", "Alice", "William", "Maja", "Lucas", "Elsa", "Hugo", "Astrid", "Erik", "Ebba"],
    last: ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Åberg"],
  },
  {
    code: "MX",
    weight: 1.5,
    locale: "es-MX",
    cities: [
      ["Mexico City", "Mexico City", 8],
      ["Guadalajara", "Jalisco", 3],
      ["Monterrey", "Nuevo León", 3],
      ["Puebla", "Puebla", 1],
    ],
    first: ["Santiago", "Ximena", "Mateo", "Valeria", "Diego", "Camila", "Emiliano", "Regina", "José", "Fernanda"],
    last: ["Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez", "Ramírez", "Flores"],
  },
  {
    code: "CH",
    weight: 1,
    locale: "de-CH",
    cities: [
      ["Zürich", "Zurich", 5],
      ["Geneva", "Geneva", 3],
      ["Basel", "Basel-City", 2],
      ["Bern", "Bern", 2],
    ],
    first: ["Noah", "Mia", "Liam", "Emma", "Luca", "Lina", "Nico", "Elena"],
    last: ["Müller", "Meier", "Schmid", "Keller", "Weber", "Huber", "Favre", "Baumann"],
  },
  {
    code: "CZ",
    weight: 1,
    locale: "cs-CZ",
    cities: [
      ["Prague", "Prague", 6],
      ["Brno", "South Moravian", 2],
      ["Ostrava", "Moravian-Silesian", 1],
    ],
    first: ["Jakub", "Eliška", "Jan", "Tereza", "Tomáš", "Anna", "Matěj", "Adéla"],
    last: ["Novák", "Svoboda", "Novotný", "Dvořák", "Černý", "Procházka", "Kučera", "Veselý"],
  },
  {
    code: "UA",
    weight: 1,
    locale: "uk-UA",
    cities: [
      ["Kyiv", "Kyiv City", 5],
      ["Lviv", "Lviv Oblast", 2],
      ["Kharkiv", "Kharkiv Oblast", 1],
      ["Odesa", "Odesa Oblast", 1],
    ],
    first: ["Oleksandr", "Olena", "Andrii", "Iryna", "Dmytro", "Kateryna", "Serhii", "Natalia"],
    last: ["Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boiko", "Oliinyk"],
  },
  {
    code: "SG",
    weight: 1,
    locale: "en-SG",
    cities: [["Singapore", "Central Singapore", 1]],
    first: ["Wei Ling", "Jun Jie", "Hui Min", "Zhi Hao", "Priya", "Muhammad", "Siti", "Ethan"],
    last: ["Tan", "Lim", "Lee", "Ng", "Wong", "Chua", "Rahman", "Goh"],
  },
];

const EMAIL_DOMAINS = WeightedTable.of([
  ["gmail.com", 40],
  ["outlook.com", 10],
  ["yahoo.com", 7],
  ["icloud.com", 6],
  ["proton.me", 3],
  ["gmx.de", 2],
  ["wp.pl", 1],
  ["acme-corp.com", 4],
  ["initech.io", 3],
  ["globex.net", 3],
  ["umbrella-labs.com", 2],
  ["hooli.xyz", 2],
] as const);

const PLANS = WeightedTable.of([
  ["free", 62],
  ["pro", 29],
  ["enterprise", 9],
] as const);
const ROLES = WeightedTable.of([
  ["member", 55],
  ["admin", 18],
  ["viewer", 15],
  ["owner", 12],
] as const);
const APP_VERSIONS = WeightedTable.of([
  ["4.13.0", 48],
  ["4.12.3", 28],
  ["4.12.1", 12],
  ["4.11.8", 8],
  ["3.9.2", 4],
] as const);
const COMPANIES = ["Acme Corp", "Initech", "Globex", "Umbrella Labs", "Hooli", "Stark Industries", "Wayne Enterprises", "Soylent", "Vandelay Industries", "Nordwind GmbH", "Żabka Digital", "Café Lumière"];

function asciiFold(s: string): string {
  return s
    .replace(/ł/g, "l")
    .replace(/Ł/g, "L")
    .replace(/ß/g, "ss")
    .replace(/ø/g, "o")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

// ---------------------------------------------------------------------------------------------
// Visitors

interface VisitorParam {
  name: string;
  value: string;
}

interface SimVisitor {
  id: string;
  websiteIndex: number;
  name: string;
  email: string;
  params: VisitorParam[];
  geolocation: { country_code: string; city: string; region: string };
  /** Pre-serialized `visitor` object (the visitor never changes during a run). */
  json: string;
}

function buildVisitors(rng: Rng, count: number, websiteCount: number): { visitors: SimVisitor[]; activity: number[] } {
  const countryTable = new WeightedTable(
    COUNTRIES,
    COUNTRIES.map((c) => c.weight),
  );
  const cityTables = COUNTRIES.map(
    (c) =>
      new WeightedTable(
        c.cities,
        c.cities.map((x) => x[2]),
      ),
  );
  const siteWeights = Array.from({ length: websiteCount }, (_, i) => WEBSITE_TRAFFIC[i] ?? 12);
  const siteTable = new WeightedTable(
    siteWeights.map((_, i) => i),
    siteWeights,
  );

  const visitors: SimVisitor[] = [];
  const activity: number[] = [];
  for (let i = 0; i < count; i++) {
    const ci = countryTable.sampleIndex(rng);
    const country = COUNTRIES[ci] as Country;
    const [city, region] = (cityTables[ci] as WeightedTable<readonly [string, string, number]>).sample(rng);
    const websiteIndex = siteTable.sample(rng);
    const anonymous = rng() < 0.14;
    let name = "";
    let email = "";
    const params: VisitorParam[] = [];
    if (!anonymous) {
      const first = pick(rng, country.first);
      const last = pick(rng, country.last);
      name = `${first} ${last}`;
      const f = asciiFold(first);
      const l = asciiFold(last);
      const style = rng();
      const domain = EMAIL_DOMAINS.sample(rng);
      const local =
        style < 0.45 ? `${f}.${l}` : style < 0.7 ? `${f}${l}${intIn(rng, 1, 99)}` : style < 0.85 ? `${f[0] ?? "x"}${l}` : `${f}_${intIn(rng, 1970, 2006)}`;
      email = `${local}@${domain}`;
      const plan = PLANS.sample(rng);
      params.push({ name: "plan", value: plan });
      params.push({ name: "role", value: ROLES.sample(rng) });
      params.push({ name: "app_version", value: APP_VERSIONS.sample(rng) });
      params.push({ name: "locale", value: country.locale });
      if (plan !== "free" || rng() < 0.2) params.push({ name: "company", value: pick(rng, COMPANIES) });
      if (rng() < 0.5) params.push({ name: "user_id", value: String(intIn(rng, 1000, 999_999)) });
      if (rng() < 0.3) params.push({ name: "ab_test", value: rng() < 0.5 ? "checkout-v2:A" : "checkout-v2:B" });
    } else if (rng() < 0.5) {
      params.push({ name: "app_version", value: APP_VERSIONS.sample(rng) });
    }
    // Now and then GeoIP has no city/region for an address.
    const unknownPlace = rng() < 0.01;
    const visitor: Omit<SimVisitor, "json"> = {
      id: seededUuid(rng),
      websiteIndex,
      name,
      email,
      params,
      geolocation: { country_code: country.code, city: unknownPlace ? "" : city, region: unknownPlace ? "" : region },
    };
    const json = JSON.stringify({
      id: visitor.id,
      name: visitor.name,
      email: visitor.email,
      params: visitor.params,
      geolocation: visitor.geolocation,
    });
    visitors.push({ ...visitor, json });
    // Heavy-tailed activity (Pareto, alpha 1.3, capped): a few visitors are much more active.
    activity.push(Math.min(100, Math.pow(1 - rng(), -1 / 1.3)));
  }
  return { visitors, activity };
}

// ---------------------------------------------------------------------------------------------
// Message templates
//
// Placeholders: {int:A-B} {hex:N} {alnum:N} {upper:N} {uuid} {price} {oneof:a|b|c} {ref:K} (the
// K-th value generated earlier in the same message) {coupon} {bademail} {query} {sku} {iso}
// {ts} {flag} {locale} {street} {api} {cdn} {host}.

/** JS errors in popularity order (Zipf over the rank). Volatile parts give grouping work to do. */
const JS_ERRORS: readonly string[] = [
  "Cannot read properties of undefined (reading 'price')",
  "Request failed with status code {oneof:502|502|502|500|503|504}",
  "ChunkLoadError: Loading chunk {int:100-9999} failed.\n(error: {cdn}/_next/static/chunks/{ref:0}.{hex:16}.js)",
  "TypeError: Failed to fetch",
  "Uncaught TypeError: user {hex:8} has no cart",
  "ResizeObserver loop completed with undelivered notifications.",
  "Script error.",
  "TypeError: Cannot read properties of null (reading 'addEventListener')",
  "ProductCatalog: product {int:1000-99999} is not valid",
  "Uncaught (in promise) AxiosError: timeout of {oneof:5000|10000|15000|30000}ms exceeded",
  "SyntaxError: Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON",
  "TypeError: undefined is not an object (evaluating 'window.__APP_STATE__.cart.items')",
  "Error: Order {uuid} not found",
  "ReferenceError: gtag is not defined",
  "Error: Minified React error #{oneof:418|423|425}; visit https://react.dev/errors/{ref:0} for the full message or use the non-minified dev environment for full errors and additional helpful warnings.",
  "QuotaExceededError: Failed to execute 'setItem' on 'Storage': Setting the value of 'cart_{hex:8}' exceeded the quota.",
  "PaymentError: card_declined (request req_{alnum:14})",
  "Error: Network Error",
  "TypeError: Cannot read properties of undefined (reading 'map')",
  "TypeError: Load failed",
  "AbortError: The user aborted a request.",
  "Loading CSS chunk {int:100-999} failed.\n({cdn}/static/css/{ref:0}.{hex:8}.chunk.css)",
  "TypeError: e.map is not a function",
  "TypeError: Cannot destructure property 'id' of 'undefined' as it is undefined.",
  "Invariant failed: cart total mismatch (expected {price}, got {price})",
  "WebSocket connection to 'wss://realtime.{host}/socket?token={hex:32}' failed",
  "Unhandled Promise Rejection: Error: Session {hex:24} expired at {iso}",
  "RangeError: Maximum call stack size exceeded",
  "TypeError: Cannot set properties of undefined (setting 'quantity')",
  "NotAllowedError: play() failed because the user didn't interact with the document first. https://goo.gl/xX8pDD",
  "SecurityError: Failed to read the 'localStorage' property from 'Window': Access is denied for this document.",
  'Error: Invalid coupon code "{coupon}"',
  'ValidationError: "email" must be a valid email (got "{bademail}")',
  "StripeInvalidRequestError: No such payment_intent: 'pi_{alnum:24}'",
  "TypeError: Cannot read properties of undefined (reading 'length')",
  "TypeError: Assignment to constant variable.",
  "Error: Unexpected response from /api/cart/{int:1-999999}: 502 Bad Gateway",
  "InvalidStateError: Failed to execute 'transaction' on 'IDBDatabase': The database connection is closing.",
  "TypeError: NetworkError when attempting to fetch resource.",
  "Error: Request aborted after {int:3000-60000}ms (GET /api/search?q={query})",
  "GraphQLError: Cannot return null for non-nullable field Product.price (product {int:1000-99999})",
  "Error: Price mismatch for {sku}: {price} != {price}",
  "SyntaxError: Failed to execute 'querySelector' on 'Document': '#{int:1-999}-{alnum:4}' is not a valid selector.",
  "Error: Could not load image {cdn}/images/products/{int:1000-99999}/{hex:12}.webp",
  "TypeError: Converting circular structure to JSON\n    --> starting at object with constructor 'HTMLDivElement'\n    --- property '__reactFiber${alnum:11}' closes the circle",
  "Error: Rendered more hooks than during the previous render.",
  "Error: Too many re-renders. React limits the number of renders to prevent an infinite loop.",
  "TypeError: Cannot read properties of undefined (reading 'currency')",
  "SyntaxError: Unexpected end of input",
  'Error: Feature flag "{flag}" evaluation timed out after {int:500-5000}ms',
  "Failed to execute 'postMessage' on 'DOMWindow': The target origin provided ('https://checkout-{hex:6}.{host}') does not match the recipient window's origin ('https://{host}').",
  "Error: Cart {hex:8} is locked by another session (retry in {int:1-30}s)",
  "TypeError: this.props.onChange is not a function",
  "Error: Non-Error promise rejection captured with keys: code, message, requestId",
  "Error: Unable to preload CSS for /assets/Checkout-{hex:8}.css",
  "TypeError: Importing a module script failed.",
  "TypeError: Failed to fetch dynamically imported module: https://{host}/assets/ProductPage-{hex:8}.js",
  "Error: User {int:1-99999} exceeded rate limit: {int:100-1000} requests in {oneof:10|60}s",
  "Object Not Found Matching Id:{int:1-9}, MethodName:update, ParamCount:4",
  "Error: Timeout loading translations for locale '{locale}' after {int:1000-10000}ms",
  'ValidationError: Street "{street}" could not be geocoded',
  "DOMException: The operation was aborted.",
  "TypeError: null is not an object (evaluating 'document.getElementById(\"cart-count\").textContent')",
];

/** New errors that only appear in bursts (a bad release). */
const REGRESSION_ERRORS: readonly string[] = [
  "TypeError: Cannot read properties of undefined (reading 'discountCode')",
  "Error: Checkout v2: missing shipping rate for zone {int:1-40} (cart {hex:8})",
  "ReferenceError: formatPrice is not defined",
  "TypeError: cart.items.reduce is not a function",
  "Error: Failed to hydrate PriceTag for product {int:1000-99999}: expected {price}, got NaN",
];

const ERROR_CLICKS: readonly string[] = [
  "product is not defined",
  "Cannot read properties of null (reading 'submit')",
  "addToCart is not a function",
  "Cannot read properties of undefined (reading 'variantId')",
  "checkout.open is not a function",
  "Request failed with status code {oneof:500|502|503}",
  "Payment form is not ready (stripe element {hex:8} not mounted)",
  "Cannot add product {int:1000-99999} to cart: out of stock",
  'Coupon "{coupon}" is expired',
  "ReferenceError: openChat is not defined",
  "TypeError: Failed to fetch",
  "Modal #{alnum:6} not found",
  "Maximum quantity exceeded for {sku}",
  'Invalid quantity "-{int:1-5}"',
];

interface Endpoint {
  method: string;
  url: string;
  weight: number;
  statuses: WeightedTable<number>;
}

function endpoint(method: string, url: string, weight: number, statuses: readonly (readonly [number, number])[]): Endpoint {
  return { method, url, weight, statuses: WeightedTable.of(statuses) };
}

const NET_ENDPOINTS: readonly Endpoint[] = [
  endpoint("GET", "{api}/products/{int:1-20000}", 30, [[404, 55], [500, 20], [502, 10], [503, 8], [0, 7]]),
  endpoint("GET", "{api}/users/{int:1-99999}/cart?session={alnum:12}", 16, [[401, 45], [403, 10], [500, 30], [504, 10], [0, 5]]),
  endpoint("GET", "{api}/orders/{uuid}/items", 14, [[404, 40], [403, 25], [500, 25], [0, 10]]),
  endpoint("POST", "{api}/cart/items", 14, [[400, 20], [409, 25], [422, 30], [500, 20], [0, 5]]),
  endpoint("GET", "{api}/search?q={query}&page={int:1-20}", 12, [[500, 25], [503, 30], [504, 25], [429, 15], [0, 5]]),
  endpoint("POST", "{api}/checkout", 10, [[402, 25], [422, 25], [500, 20], [502, 15], [504, 15]]),
  endpoint("POST", "{api}/auth/refresh", 9, [[401, 85], [500, 10], [0, 5]]),
  endpoint("GET", "{api}/recommendations?product_id={int:1-20000}&limit={oneof:4|8|12}", 8, [[500, 30], [503, 35], [504, 35]]),
  endpoint("POST", "https://events.{host}/collect", 7, [[0, 70], [413, 10], [429, 20]]),
  endpoint("GET", "{cdn}/static/js/{int:100-9999}.{hex:8}.chunk.js", 6, [[404, 70], [0, 30]]),
  endpoint("POST", "{api}/graphql?op={oneof:ProductPage|CartQuery|Viewer}", 6, [[500, 50], [502, 30], [400, 20]]),
  endpoint("GET", "{api}/inventory/{sku}", 5, [[404, 50], [503, 50]]),
  endpoint("DELETE", "{api}/cart/items/{int:1-999999}", 4, [[404, 70], [500, 30]]),
  endpoint("POST", "https://payments.{host}/v1/payment_intents/pi_{alnum:24}/confirm", 4, [[402, 60], [400, 20], [500, 20]]),
  endpoint("PUT", "{api}/users/{int:1-99999}/preferences", 3, [[400, 30], [409, 40], [500, 30]]),
  endpoint("PATCH", "{api}/orders/{uuid}", 3, [[409, 60], [422, 40]]),
  endpoint("GET", "https://{host}/api/session?ts={ts}", 3, [[401, 50], [0, 50]]),
];

const SEARCH_QUERIES = ["running shoes", "iphone 15 case", "winter jacket", "usb-c cable", "gift card", "kaffeemaschine", "buty do biegania", "sac à dos", "tênis", "ワイヤレスイヤホン", "desk lamp", "lego", "sale", "'; drop table--", "size 42", "50% off"];
const COUPONS = ["SPRING25", "WELCOME10", "BLACKFRIDAY", "FREESHIP", "VIP-2024", "ZNIŻKA20", "summer_sale", "LOYAL15"];
const BAD_EMAILS = ["john@", "jane.doe@gmail", "test@@example.com", "mario rossi@libero.it", "@hotmail.com", "admin@localhost", "ania.kowalska@wp"];
const FLAGS = ["new-checkout", "search-v2", "reco-widget", "dark-mode", "one-click-pay"];
const LOCALES = ["de-DE", "pl-PL", "fr-FR", "pt-BR", "ja-JP", "es-MX", "nl-NL"];
const STREETS = ["Straße des 17. Juni 135", "ul. Świętokrzyska 12/4", "Rua Augusta 1500, apto 32", "東京都渋谷区道玄坂2-21-1", "12 Rue de Rivoli", "221B Baker Street", "Calle de Alcalá 48", "Østergade 1"];

interface TemplateContext {
  rng: Rng;
  site: SimulatedWebsite;
  websiteIndex: number;
  nowMs: number;
}

const PLACEHOLDER = /\{(\w+)(?::([^}]*))?\}/g;

/** A template for people: site parts filled in, volatile parts shown as `<int>`, `<hex>`, .... */
function describeTemplate(template: string, site: SimulatedWebsite): string {
  return (template.split("\n")[0] ?? "")
    .replace(/\{api\}/g, site.apiBase)
    .replace(/\{cdn\}/g, site.cdnBase)
    .replace(/\{host\}/g, site.host)
    .replace(/\{ref:\d+\}/g, "<ref>")
    .replace(PLACEHOLDER, (_, name: string) => `<${name}>`);
}

function price(rng: Rng): string {
  const whole = Math.floor(Math.pow(rng(), 2) * 400) + 1;
  return `${whole}.${pick(rng, ["99", "49", "95", "00", "50", "29"])}`;
}

function sku(rng: Rng): string {
  return `SKU-${chars(rng, UPPER, 2)}${intIn(rng, 1000, 99999)}`;
}

function expand(template: string, ctx: TemplateContext): string {
  const { rng, site } = ctx;
  const values: string[] = [];
  return template.replace(PLACEHOLDER, (whole, name: string, arg: string | undefined) => {
    let v: string;
    switch (name) {
      case "int": {
        const [a, b] = (arg ?? "0-100").split("-").map(Number);
        v = String(intIn(rng, a ?? 0, b ?? 100));
        break;
      }
      case "hex":
        v = chars(rng, HEX, Number(arg ?? 8));
        break;
      case "alnum":
        v = chars(rng, ALNUM, Number(arg ?? 8));
        break;
      case "upper":
        v = chars(rng, UPPER, Number(arg ?? 6));
        break;
      case "uuid":
        v = seededUuid(rng);
        break;
      case "price":
        v = price(rng);
        break;
      case "oneof":
        v = pick(rng, (arg ?? "").split("|"));
        break;
      case "ref":
        return values[Number(arg ?? 0)] ?? "";
      case "coupon":
        v = rng() < 0.6 ? pick(rng, COUPONS) : chars(rng, UPPER, intIn(rng, 6, 10));
        break;
      case "bademail":
        v = pick(rng, BAD_EMAILS);
        break;
      case "query":
        v = encodeURIComponent(pick(rng, SEARCH_QUERIES));
        break;
      case "sku":
        v = sku(rng);
        break;
      case "iso":
        v = new Date(ctx.nowMs - intIn(rng, 1, 7200) * 1000).toISOString();
        break;
      case "ts":
        v = String(ctx.nowMs - intIn(rng, 0, 5000));
        break;
      case "flag":
        v = pick(rng, FLAGS);
        break;
      case "locale":
        v = pick(rng, LOCALES);
        break;
      case "street":
        v = pick(rng, STREETS);
        break;
      case "api":
        return site.apiBase;
      case "cdn":
        return site.cdnBase;
      case "host":
        return site.host;
      default:
        return whole;
    }
    values.push(v);
    return v;
  });
}

// ---------------------------------------------------------------------------------------------
// Custom events

type Props = Record<string, unknown>;

interface CustomEventDef {
  name: string;
  weight: number;
  props: (rng: Rng) => Props;
}

const PRODUCTS = ["Trail Running Shoe", "Merino Wool Sweater", "USB-C Hub 7-in-1", "Noise Cancelling Headphones", "Ceramic Pour-Over Set", "Kinderwagen Deluxe", "Plecak miejski 20L", "Chaise longue «Riviera»", "Yoga Mat Pro", "4K Monitor 27\""];
const CURRENCIES = ["USD", "USD", "USD", "EUR", "EUR", "GBP", "PLN", "BRL", "JPY", "CAD", "INR"];
const PAY_FAIL_REASONS = WeightedTable.of([
  ["card_declined", 45],
  ["insufficient_funds", 20],
  ["expired_card", 10],
  ["authentication_required", 12],
  ["processing_error", 8],
  ["fraudulent", 5],
] as const);

function money(rng: Rng): number {
  // Non-integer amounts, so `_float` values look like floats on the wire.
  const whole = Math.floor(Math.pow(rng(), 2) * 400) + 1;
  return round2(whole + pick(rng, [0.99, 0.49, 0.95, 0.5, 0.29, 0.75]));
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

const CUSTOM_EVENTS: readonly CustomEventDef[] = [
  {
    name: "Product added",
    weight: 30,
    props: (rng) => ({
      product_id_int: intIn(rng, 1, 20000),
      product_name_str: pick(rng, PRODUCTS),
      price_float: money(rng),
      quantity_int: rng() < 0.8 ? 1 : intIn(rng, 2, 6),
      currency_str: pick(rng, CURRENCIES),
      is_logged_in_bool: rng() < 0.6,
    }),
  },
  {
    name: "Search",
    weight: 25,
    props: (rng) => ({
      query_str: pick(rng, SEARCH_QUERIES),
      results_int: rng() < 0.15 ? 0 : intIn(rng, 1, 480),
      page_int: rng() < 0.85 ? 1 : intIn(rng, 2, 10),
      is_logged_in_bool: rng() < 0.5,
    }),
  },
  {
    name: "Checkout started",
    weight: 15,
    props: (rng) => {
      const p: Props = {
        cart_value_float: round2(money(rng) * intIn(rng, 1, 3)),
        items_int: intIn(rng, 1, 8),
        currency_str: pick(rng, CURRENCIES),
        is_logged_in_bool: rng() < 0.7,
      };
      if (rng() < 0.25) p.coupon_str = pick(rng, COUPONS);
      return p;
    },
  },
  {
    name: "Payment failed",
    weight: 8,
    props: (rng) => ({
      amount_float: money(rng),
      currency_str: pick(rng, CURRENCIES),
      reason_str: PAY_FAIL_REASONS.sample(rng),
      provider_str: pick(rng, ["stripe", "stripe", "adyen", "paypal", "przelewy24"]),
      retry_bool: rng() < 0.35,
    }),
  },
  {
    name: "Signup",
    weight: 8,
    props: (rng) => ({
      method_str: pick(rng, ["email", "email", "google", "github", "apple"]),
      plan_str: PLANS.sample(rng),
      referral_bool: rng() < 0.2,
    }),
  },
  {
    name: "Coupon applied",
    weight: 6,
    props: (rng) => ({ code_str: pick(rng, COUPONS), discount_float: round2(intIn(rng, 1, 49) + 0.5) }),
  },
  {
    name: "Plan upgraded",
    weight: 4,
    props: (rng) => ({
      from_plan_str: "free",
      to_plan_str: rng() < 0.85 ? "pro" : "enterprise",
      seats_int: intIn(rng, 1, 50),
      annual_bool: rng() < 0.4,
    }),
  },
  {
    name: "Feedback submitted",
    weight: 4,
    props: (rng) => ({
      score_int: intIn(rng, 1, 10),
      comment_str: pick(rng, ["", "Checkout keeps failing", "Love it!", "Zu langsam", "The search is broken 😕", "Nie mogę zapłacić kartą"]),
    }),
  },
];

const CUSTOM_TABLE = new WeightedTable(
  CUSTOM_EVENTS,
  CUSTOM_EVENTS.map((e) => e.weight),
);

const UNSUFFIXED: readonly (readonly [string, (rng: Rng) => unknown])[] = [
  ["productId", (rng) => intIn(rng, 1, 20000)],
  ["color", (rng) => pick(rng, ["red", "navy", "black", "olive"])],
  ["utm_source", (rng) => pick(rng, ["newsletter", "google", "facebook", "partner"])],
  ["experimentVariant", (rng) => pick(rng, ["A", "B"])],
  ["price", (rng) => money(rng)],
];

/** Give one property a value that does not match its suffix (LiveSession passes these on). */
function corrupt(rng: Rng, props: Props): void {
  const keys = Object.keys(props);
  if (keys.length === 0) return;
  const key = pick(rng, keys);
  const v = props[key];
  if (key.endsWith("_int")) props[key] = rng() < 0.6 ? String(v) : Number(v) + 0.5;
  else if (key.endsWith("_float")) props[key] = rng() < 0.7 ? String(v) : null;
  else if (key.endsWith("_bool")) props[key] = rng() < 0.5 ? String(v) : v ? 1 : 0;
  else if (key.endsWith("_str")) props[key] = rng() < 0.5 ? intIn(rng, 1, 999) : [v];
}

/** Whether a custom-event property value matches the type its key's suffix declares. */
export function propertyMatchesSuffix(key: string, value: unknown): boolean {
  if (key.endsWith("_str")) return typeof value === "string";
  if (key.endsWith("_int")) return typeof value === "number" && Number.isInteger(value);
  if (key.endsWith("_float")) return typeof value === "number" && Number.isFinite(value);
  if (key.endsWith("_bool")) return typeof value === "boolean";
  return false;
}

// ---------------------------------------------------------------------------------------------
// The simulation

const ACTIVE_SESSIONS = 64;
const SESSION_END_PROBABILITY = 0.15;
const DUPLICATE_MEMORY = 256;
const MESSSAGE_TYPO_RATE = 0.1;
const DECISECOND_TIME_RATE = 0.08;
const PROPERTY_MISMATCH_RATE = 0.04;
const UNSUFFIXED_KEY_RATE = 0.03;

interface Remembered {
  body: string;
  messageId: string;
  kind: EventKind;
  websiteId: string;
  accountId: string;
}

export function createSimulation(options: SimulationOptions = {}): Simulation {
  const seed = Math.trunc(options.seed ?? 1);
  const websiteCount = Math.max(1, Math.trunc(options.websites ?? 3));
  const visitorCount = Math.max(1, Math.trunc(options.visitors ?? 5000));
  const duplicateRate = Math.min(1, Math.max(0, options.duplicateRate ?? 0.02));
  const newMessageId = options.randomUUID ?? (() => globalThis.crypto.randomUUID());
  const kindWeights = { ...DEFAULT_KIND_WEIGHTS, ...options.kindWeights };

  const websites = buildWebsites(websiteCount);
  const { visitors, activity } = buildVisitors(mulberry32(hash32(`visitors:${seed}`)), visitorCount, websiteCount);
  const visitorTable = new WeightedTable(
    visitors.map((_, i) => i),
    activity,
  );
  const visitorsBySite: number[][] = websites.map(() => []);
  visitors.forEach((v, i) => visitorsBySite[v.websiteIndex]?.push(i));

  const rng = mulberry32(hash32(`events:${seed}`));
  const kindTable = new WeightedTable(
    EVENT_KINDS,
    EVENT_KINDS.map((k) => kindWeights[k] ?? DEFAULT_KIND_WEIGHTS[k]),
  );

  // Each website sees its own subset and ordering of the JS errors (Zipf over that ordering).
  const siteRng = mulberry32(hash32(`sites:${seed}`));
  const jsTables = websites.map((_, wi) => {
    const order = JS_ERRORS.map((_, i) => i);
    if (wi > 0) {
      // Partial shuffle: keep the overall shape, move some errors up or down.
      for (let i = order.length - 1; i > 0; i--) {
        if (siteRng() < 0.5) continue;
        const j = Math.max(0, i - intIn(siteRng, 1, 12));
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
    }
    const kept = order.filter((_, rank) => rank < 8 || siteRng() < 0.75);
    return new WeightedTable(kept, zipfWeights(kept.length, 1.05));
  });
  const clickTable = new WeightedTable(
    ERROR_CLICKS.map((_, i) => i),
    zipfWeights(ERROR_CLICKS.length, 1.1),
  );
  const endpointTable = new WeightedTable(
    NET_ENDPOINTS.map((_, i) => i),
    NET_ENDPOINTS.map((e) => e.weight),
  );

  // Concurrent sessions: consecutive events cluster on the visitors currently browsing.
  const sessions: number[] = Array.from({ length: Math.min(ACTIVE_SESSIONS, visitorCount) }, () => visitorTable.sample(rng));
  const recent: Remembered[] = [];
  let recentNext = 0;

  function drawVisitor(websiteIndex?: number): SimVisitor {
    if (websiteIndex !== undefined) {
      const pool = visitorsBySite[websiteIndex];
      if (pool && pool.length > 0) return visitors[pick(rng, pool)] as SimVisitor;
    }
    const slot = Math.floor(rng() * sessions.length);
    const vi = sessions[slot] as number;
    if (rng() < SESSION_END_PROBABILITY) sessions[slot] = visitorTable.sample(rng);
    return visitors[vi] as SimVisitor;
  }

  function eventTime(nowMs: number): number {
    // Deliveries lag the event by a moment, now and then by minutes (queued delivery).
    const lag = rng() < 0.97 ? Math.floor(rng() * 4000) : intIn(rng, 5_000, 300_000);
    const ms = nowMs - lag;
    return rng() < DECISECOND_TIME_RATE ? Math.floor(ms / 100) : ms;
  }

  function customPayload(): { name: string; properties: Props } {
    const def = CUSTOM_TABLE.sample(rng);
    const properties = def.props(rng);
    if (rng() < PROPERTY_MISMATCH_RATE) corrupt(rng, properties);
    if (rng() < UNSUFFIXED_KEY_RATE) {
      const [key, value] = pick(rng, UNSUFFIXED);
      properties[key] = value(rng);
    }
    return { name: def.name, properties };
  }

  function fields(kind: EventKind, ctx: TemplateContext, burst?: BurstSpec): Record<string, unknown> {
    switch (kind) {
      case "JSError": {
        let template: string;
        if (burst?.source.list === "regression") template = REGRESSION_ERRORS[burst.source.index] ?? "";
        else if (burst?.source.list === "js") template = JS_ERRORS[burst.source.index] ?? "";
        else template = JS_ERRORS[(jsTables[ctx.websiteIndex] as WeightedTable<number>).sample(rng)] ?? "";
        const count = rng() < 0.85 ? 1 : Math.min(50, 2 + Math.floor(-Math.log(1 - rng()) * 3));
        return { value: expand(template, ctx), count };
      }
      case "NetError": {
        const ep = NET_ENDPOINTS[burst ? burst.source.index : endpointTable.sample(rng)] as Endpoint;
        const status = burst?.source.status ?? ep.statuses.sample(rng);
        return { method: ep.method, url: expand(ep.url, ctx), status };
      }
      case "ErrorClick": {
        const message = expand(ERROR_CLICKS[clickTable.sample(rng)] ?? "", ctx);
        return rng() < MESSSAGE_TYPO_RATE ? { messsage: message } : { message };
      }
      case "RageClick":
        return { clicks: Math.min(30, 3 + Math.floor(-Math.log(1 - rng()) * 4)) };
      case "Custom":
        return customPayload();
    }
  }

  function fresh(now: Date, kind: EventKind, burst?: BurstSpec): SimulatedDelivery {
    const nowMs = now.getTime();
    const visitor = drawVisitor(burst?.source.websiteIndex);
    const site = websites[visitor.websiteIndex] as SimulatedWebsite;
    const ctx: TemplateContext = { rng, site, websiteIndex: visitor.websiteIndex, nowMs };
    const payloadFields = fields(kind, ctx, burst);
    const time = eventTime(nowMs);
    const messageId = newMessageId();
    const envelope = {
      message_id: messageId,
      webhook_id: site.webhookId,
      webhook_type: "session.event",
      api_version: "v1.0",
      account_id: site.accountId,
      website_id: site.id,
      created_at: Math.floor(nowMs / 1000),
      payload: { event_name: kind, ...payloadFields, time, visitor: "\u0000VISITOR\u0000" },
    };
    // Splice in the pre-serialized visitor (saves re-serializing it on every delivery).
    const body = JSON.stringify(envelope).replace('"\\u0000VISITOR\\u0000"', () => visitor.json);
    const delivery: SimulatedDelivery = {
      body,
      messageId,
      isDuplicate: false,
      isBurst: burst !== undefined,
      kind,
      websiteId: site.id,
      accountId: site.accountId,
    };
    const remembered: Remembered = { body, messageId, kind, websiteId: site.id, accountId: site.accountId };
    if (recent.length < DUPLICATE_MEMORY) recent.push(remembered);
    else recent[recentNext] = remembered;
    recentNext = (recentNext + 1) % DUPLICATE_MEMORY;
    return delivery;
  }

  return {
    seed,
    websites,
    visitorCount,
    next(now: Date = new Date(), opts: NextOptions = {}): SimulatedDelivery {
      if (opts.burst) return fresh(now, opts.burst.kind, opts.burst);
      if (opts.kind) return fresh(now, opts.kind);
      if (recent.length > 0 && duplicateRate > 0 && rng() < duplicateRate) {
        const r = recent[Math.floor(rng() * recent.length)] as Remembered;
        return { ...r, isDuplicate: true, isBurst: false };
      }
      return fresh(now, kindTable.sample(rng));
    },
    createBurst(): BurstSpec {
      const websiteIndex = rng() < 0.6 ? 0 : intIn(rng, 0, websites.length - 1);
      const site = websites[websiteIndex] as SimulatedWebsite;
      const roll = rng();
      if (roll < 0.4) {
        const index = intIn(rng, 0, REGRESSION_ERRORS.length - 1);
        return {
          kind: "JSError",
          websiteId: site.id,
          description: `JSError (new) "${describeTemplate(REGRESSION_ERRORS[index] ?? "", site)}" on ${site.id}`,
          source: { list: "regression", index, websiteIndex },
        };
      }
      if (roll < 0.7) {
        const index = (jsTables[websiteIndex] as WeightedTable<number>).items[intIn(rng, 0, 9)] ?? 0;
        return {
          kind: "JSError",
          websiteId: site.id,
          description: `JSError "${describeTemplate(JS_ERRORS[index] ?? "", site)}" on ${site.id}`,
          source: { list: "js", index, websiteIndex },
        };
      }
      const index = endpointTable.sampleIndex(rng);
      const ep = NET_ENDPOINTS[index] as Endpoint;
      const status = pick(rng, [500, 502, 503, 504]);
      return {
        kind: "NetError",
        websiteId: site.id,
        description: `NetError ${ep.method} ${describeTemplate(ep.url, site)} → ${status} on ${site.id}`,
        source: { list: "net", index, websiteIndex, status },
      };
    },
  };
}
