// Package seed holds the demonstration data for the CAP portal: schools,
// training providers and sign-in users, as plain Go tables.
//
// Every person named here is fictional, and every email address uses a
// reserved .example domain. Phone numbers come from Ofcom's ranges reserved
// for drama (024 7696 0xxx for Coventry landlines, 07700 900xxx for
// mobiles). School and provider names are invented, apart from the seven
// providers named in CAP's 2025/26 welcome pack; their identifiers (URN,
// UKPRN) and contact details below are invented placeholders, not their
// real registrations. Invented URNs use the 19xxxx block and invented
// UKPRNs the 19xxxxxx block so that they stand apart from real ones.
package seed

import "slices"

// CAPOrgKey is the organisation key of Coventry Alternative Provision itself.
const CAPOrgKey = "cap"

// CAPOrgName is the display name of the CAP organisation.
const CAPOrgName = "Coventry Alternative Provision"

// CAPAddress is CAP's office address, from the 2025/26 welcome pack.
const CAPAddress = "One Friargate, Coventry"

// CAPPostcode is CAP's office postcode, from the 2025/26 welcome pack.
const CAPPostcode = "CV1 2GN"

// CAPPhone is CAP's public telephone number, from the 2025/26 welcome pack.
const CAPPhone = "024 7697 2062"

// CAPEmail is the demo (reserved-domain) contact address for CAP.
const CAPEmail = "enquiries@cap.example"

// Role names used by DemoUsers.
const (
	RoleCoordinator       = "coordinator"        // school CAP coordinator
	RoleDSL               = "dsl"                // school designated safeguarding lead
	RoleHeadteacher       = "headteacher"        // school headteacher
	RoleProviderStaff     = "provider_staff"     // training provider staff member
	RoleProviderDSL       = "provider_dsl"       // training provider safeguarding lead
	RoleCAPAdmin          = "cap_admin"          // CAP administrator
	RoleMonitoringOfficer = "monitoring_officer" // CAP monitoring officer
	RoleCAPDSL            = "cap_dsl"            // CAP safeguarding lead
	RoleServiceLead       = "service_lead"       // CAP service lead
	RolePanelMember       = "panel_member"       // CAP review and authorisation panel member (any org)
)

// DemoSchool is a fictional Coventry secondary school and its CAP SLA status per academic year.
type DemoSchool struct {
	Key, URN, Name, Address, Postcode, Phone, Email string
	SLA2526, SLA2627                                bool
}

// DemoProvider is a training provider; registered ones have a UKPRN or a URN, unregistered ones only a SettingType.
type DemoProvider struct {
	Key, Name, UKPRN, URN, SettingType, Address, Postcode, Phone, Email string
	Registered                                                          bool
	DSLName, DSLEmail, DSLPhone                                         string
}

// DemoUser is a fictional portal user belonging to the organisation OrgKey ("cap", a school key or a provider key).
type DemoUser struct {
	Email, Name, OrgKey string
	Roles               []string
}

// DemoSchools lists fictional Coventry secondary schools; the first, "whitmore", holds both SLAs.
var DemoSchools = []DemoSchool{
	{Key: "whitmore", URN: "190101", Name: "Whitmore Park Academy", Address: "Lockhart Road, Whitmore Park, Coventry", Postcode: "CV6 4QX", Phone: "024 7696 0101", Email: "office@whitmore.school.example", SLA2526: true, SLA2627: true},
	{Key: "canleybrook", URN: "190102", Name: "Canley Brook Academy", Address: "Brookside Drive, Canley, Coventry", Postcode: "CV4 8FD", Phone: "024 7696 0102", Email: "office@canleybrook.school.example", SLA2526: true, SLA2627: true},
	{Key: "radfordmeadows", URN: "190103", Name: "Radford Meadows School", Address: "Meadow Chase, Radford, Coventry", Postcode: "CV6 3LP", Phone: "024 7696 0103", Email: "office@radfordmeadows.school.example", SLA2526: true, SLA2627: true},
	{Key: "cheylesmorevale", URN: "190104", Name: "Cheylesmore Vale Academy", Address: "Valebrook Road, Cheylesmore, Coventry", Postcode: "CV3 5NW", Phone: "024 7696 0104", Email: "office@cheylesmorevale.school.example", SLA2526: true, SLA2627: true},
	{Key: "earlsdonridge", URN: "190105", Name: "Earlsdon Ridge Academy", Address: "Ridgemount Avenue, Earlsdon, Coventry", Postcode: "CV5 6JR", Phone: "024 7696 0105", Email: "office@earlsdonridge.school.example", SLA2526: true, SLA2627: true},
	{Key: "longfordbrook", URN: "190106", Name: "Longford Brook School", Address: "Brookfield Way, Longford, Coventry", Postcode: "CV6 6DT", Phone: "024 7696 0106", Email: "office@longfordbrook.school.example", SLA2526: true, SLA2627: true},
	{Key: "holbrookforge", URN: "190107", Name: "Holbrook Forge Academy", Address: "Forge Street, Holbrooks, Coventry", Postcode: "CV6 4GA", Phone: "024 7696 0107", Email: "office@holbrookforge.school.example", SLA2526: true, SLA2627: true},
	{Key: "wykenheath", URN: "190108", Name: "Wyken Heath Academy", Address: "Heathcote Lane, Wyken, Coventry", Postcode: "CV2 3PE", Phone: "024 7696 0108", Email: "office@wykenheath.school.example", SLA2526: true, SLA2627: true},
	{Key: "bellgreenfields", URN: "190109", Name: "Bell Green Fields Academy", Address: "Fieldgate Road, Bell Green, Coventry", Postcode: "CV2 1QS", Phone: "024 7696 0109", Email: "office@bellgreenfields.school.example", SLA2526: true, SLA2627: true},
	{Key: "binleyoak", URN: "190110", Name: "Binley Oak School", Address: "Oakleigh Road, Binley, Coventry", Postcode: "CV3 2DN", Phone: "024 7696 0110", Email: "office@binleyoak.school.example", SLA2526: true, SLA2627: true},
	{Key: "willenhallmeadow", URN: "190111", Name: "Willenhall Meadow Academy", Address: "Meadowsweet Close, Willenhall, Coventry", Postcode: "CV3 3LB", Phone: "024 7696 0111", Email: "office@willenhallmeadow.school.example", SLA2526: true, SLA2627: true},
	{Key: "tilehillheath", URN: "190112", Name: "Tile Hill Heath School", Address: "Heath End Road, Tile Hill, Coventry", Postcode: "CV4 9TU", Phone: "024 7696 0112", Email: "office@tilehillheath.school.example", SLA2526: true, SLA2627: true},
	{Key: "allesleyvale", URN: "190113", Name: "Allesley Vale Academy", Address: "Valley Rise, Allesley, Coventry", Postcode: "CV5 9PH", Phone: "024 7696 0113", Email: "office@allesleyvale.school.example", SLA2526: true, SLA2627: false},
	{Key: "foleshillwharf", URN: "190114", Name: "Foleshill Wharf Academy", Address: "Wharf Street, Foleshill, Coventry", Postcode: "CV6 5EJ", Phone: "024 7696 0114", Email: "office@foleshillwharf.school.example", SLA2526: true, SLA2627: true},
	{Key: "stivichallcroft", URN: "190115", Name: "Stivichall Croft School", Address: "Croft Lane, Stivichall, Coventry", Postcode: "CV3 6LW", Phone: "024 7696 0115", Email: "office@stivichallcroft.school.example", SLA2526: true, SLA2627: true},
	{Key: "spongate", URN: "190116", Name: "Spon Gate Academy", Address: "Gate Street, Spon End, Coventry", Postcode: "CV1 3HQ", Phone: "024 7696 0116", Email: "office@spongate.school.example", SLA2526: true, SLA2627: false},
	{Key: "hillfieldsvale", URN: "190117", Name: "Hillfields Vale Academy", Address: "Vale Street, Hillfields, Coventry", Postcode: "CV1 5NF", Phone: "024 7696 0117", Email: "office@hillfieldsvale.school.example", SLA2526: true, SLA2627: false},
	{Key: "walsgravefields", URN: "190118", Name: "Walsgrave Fields Academy", Address: "Fieldside Way, Walsgrave, Coventry", Postcode: "CV2 2RX", Phone: "024 7696 0118", Email: "office@walsgravefields.school.example", SLA2526: true, SLA2627: true},
	{Key: "keresleymoor", URN: "190119", Name: "Keresley Moor Academy", Address: "Moorland Road, Keresley, Coventry", Postcode: "CV6 2JD", Phone: "024 7696 0119", Email: "office@keresleymoor.school.example", SLA2526: true, SLA2627: false},
	{Key: "greyfriarsgreen", URN: "190120", Name: "Greyfriars Green Academy", Address: "Friars Walk, City Centre, Coventry", Postcode: "CV1 3BG", Phone: "024 7696 0120", Email: "office@greyfriarsgreen.school.example", SLA2526: true, SLA2627: true},
	{Key: "sowebank", URN: "190121", Name: "Sowe Bank School", Address: "Bankside Drive, Wood End, Coventry", Postcode: "CV2 1NP", Phone: "024 7696 0121", Email: "office@sowebank.school.example", SLA2526: false, SLA2627: false},
	{Key: "aldermoor", URN: "190122", Name: "Aldermoor Lane Academy", Address: "Aldermoor Lane, Stoke Aldermoor, Coventry", Postcode: "CV3 1DG", Phone: "024 7696 0122", Email: "office@aldermoor.school.example", SLA2526: true, SLA2627: true},
	{Key: "brownslane", URN: "190123", Name: "Browns Lane Technical Academy", Address: "Lanchester Way, Allesley, Coventry", Postcode: "CV5 9DR", Phone: "024 7696 0123", Email: "office@brownslane.school.example", SLA2526: true, SLA2627: true},
	{Key: "daimlergreen", URN: "190124", Name: "Daimler Green Academy", Address: "Radford Works Road, Radford, Coventry", Postcode: "CV6 3BN", Phone: "024 7696 0124", Email: "office@daimlergreen.school.example", SLA2526: false, SLA2627: false},
}

// DemoProviders lists 50 training providers: the seven named in CAP's welcome pack, then 43 fictional ones.
var DemoProviders = []DemoProvider{
	// Providers named in the CAP 2025/26 welcome pack (contact details invented).
	{Key: "capa", Name: "Coventry AP Academy", URN: "190500", SettingType: "Alternative provision academy", Address: "Academy Way, Stoke, Coventry", Postcode: "CV2 4NJ", Phone: "024 7696 0201", Email: "office@capa.provider.example", Registered: true, DSLName: "Samina Akhtar", DSLEmail: "dsl@capa.provider.example", DSLPhone: "07700 900201"},
	{Key: "worknlearn", Name: "Work 'N' Learn", UKPRN: "19000201", Address: "Enterprise Court, Foleshill, Coventry", Postcode: "CV6 5LR", Phone: "024 7696 0202", Email: "office@worknlearn.provider.example", Registered: true, DSLName: "Tracey Hollis", DSLEmail: "dsl@worknlearn.provider.example", DSLPhone: "07700 900202"},
	{Key: "lumen", Name: "Lumen Academy", UKPRN: "19000202", Address: "Lantern House, Far Gosford Street, Coventry", Postcode: "CV1 5DZ", Phone: "024 7696 0203", Email: "office@lumen.provider.example", Registered: true, DSLName: "Simon Redfern", DSLEmail: "dsl@lumen.provider.example", DSLPhone: "07700 900203"},
	{Key: "mwimpact", Name: "MW Impact", UKPRN: "19000203", Address: "Unit 4, Canalside Works, Coventry", Postcode: "CV1 4LY", Phone: "024 7696 0204", Email: "office@mwimpact.provider.example", Registered: true, DSLName: "Joy Okonkwo", DSLEmail: "dsl@mwimpact.provider.example", DSLPhone: "07700 900204"},
	{Key: "intuitive", Name: "Intuitive Thinking Skills", UKPRN: "19000204", Address: "Thinkers Yard, Earlsdon, Coventry", Postcode: "CV5 6EA", Phone: "024 7696 0205", Email: "office@intuitive.provider.example", Registered: true, DSLName: "Graham Tolley", DSLEmail: "dsl@intuitive.provider.example", DSLPhone: "07700 900205"},
	{Key: "outdoor", Name: "Outdoor Education Service", UKPRN: "19000205", Address: "Lakeside Lodge, Coundon Wedge, Coventry", Postcode: "CV5 8EQ", Phone: "024 7696 0206", Email: "office@outdoor.provider.example", Registered: true, DSLName: "Claire Underhill", DSLEmail: "dsl@outdoor.provider.example", DSLPhone: "07700 900206"},
	{Key: "petxi", Name: "Pet-Xi", UKPRN: "19000206", Address: "Kennel Lane, Binley, Coventry", Postcode: "CV3 2AX", Phone: "024 7696 0207", Email: "office@petxi.provider.example", Registered: true, DSLName: "Kieran Walsh", DSLEmail: "dsl@petxi.provider.example", DSLPhone: "07700 900207"},

	// Vocational learning: motor vehicle.
	{Key: "ridgeway", Name: "Ridgeway Motor Skills", UKPRN: "19000301", Address: "Unit 7, Ridgeway Trading Estate, Coventry", Postcode: "CV6 6NB", Phone: "024 7696 0208", Email: "office@ridgeway.provider.example", Registered: true, DSLName: "Beverley Stanton", DSLEmail: "dsl@ridgeway.provider.example", DSLPhone: "07700 900208"},
	{Key: "pistonworks", Name: "Piston Works Motorcycle Project", UKPRN: "19000302", Address: "Railway Arches, Spon End, Coventry", Postcode: "CV1 3JQ", Phone: "024 7696 0209", Email: "office@pistonworks.provider.example", Registered: true, DSLName: "Michelle Ainsworth", DSLEmail: "dsl@pistonworks.provider.example", DSLPhone: "07700 900209"},
	{Key: "torquelane", Name: "Torque Lane Automotive Training", SettingType: "Unregistered independent training provider", Address: "Torque Lane, Bayton Road Industrial Estate, Coventry", Postcode: "CV7 9EJ", Phone: "024 7696 0210", Email: "office@torquelane.provider.example", Registered: false, DSLName: "Sandra Kettle", DSLEmail: "dsl@torquelane.provider.example", DSLPhone: "07700 900210"},

	// Vocational learning: construction.
	{Key: "foundrylane", Name: "Foundry Lane Construction Training", UKPRN: "19000303", Address: "Foundry Lane, Hillfields, Coventry", Postcode: "CV1 5HS", Phone: "024 7696 0211", Email: "office@foundrylane.provider.example", Registered: true, DSLName: "Paula Greaves", DSLEmail: "dsl@foundrylane.provider.example", DSLPhone: "07700 900211"},
	{Key: "brickbeam", Name: "Brick & Beam Skills Centre", UKPRN: "19000304", Address: "Builders Yard, Longford Road, Coventry", Postcode: "CV6 6DS", Phone: "024 7696 0212", Email: "office@brickbeam.provider.example", Registered: true, DSLName: "Denise Collard", DSLEmail: "dsl@brickbeam.provider.example", DSLPhone: "07700 900212"},
	{Key: "keystonetrades", Name: "Keystone Trades Academy", URN: "190601", Address: "Keystone House, Stoke Row, Coventry", Postcode: "CV2 4JP", Phone: "024 7696 0213", Email: "office@keystonetrades.provider.example", Registered: true, DSLName: "Rosalind Ince", DSLEmail: "dsl@keystonetrades.provider.example", DSLPhone: "07700 900213"},

	// Vocational learning: hair and beauty.
	{Key: "shearsshine", Name: "Shears & Shine Hair Academy", UKPRN: "19000305", Address: "12 Salon Parade, Earlsdon Street, Coventry", Postcode: "CV5 6EJ", Phone: "024 7696 0214", Email: "office@shearsshine.provider.example", Registered: true, DSLName: "Shabnam Rashid", DSLEmail: "dsl@shearsshine.provider.example", DSLPhone: "07700 900214"},
	{Key: "glowup", Name: "Glow Up Beauty Training", SettingType: "Sole trader", Address: "First Floor, 3 Market Way, Coventry", Postcode: "CV1 1DL", Phone: "024 7696 0215", Email: "office@glowup.provider.example", Registered: false, DSLName: "Jade Whitlock", DSLEmail: "dsl@glowup.provider.example", DSLPhone: "07700 900215"},
	{Key: "salonpathways", Name: "Salon Pathways", UKPRN: "19000306", Address: "Pathway House, Walsgrave Road, Coventry", Postcode: "CV2 4HE", Phone: "024 7696 0216", Email: "office@salonpathways.provider.example", Registered: true, DSLName: "Lorraine Pugh", DSLEmail: "dsl@salonpathways.provider.example", DSLPhone: "07700 900216"},

	// Vocational learning: catering and hospitality.
	{Key: "kitchentable", Name: "Kitchen Table Catering Academy", UKPRN: "19000307", Address: "The Old Bakery, Jordan Well, Coventry", Postcode: "CV1 5RW", Phone: "024 7696 0217", Email: "office@kitchentable.provider.example", Registered: true, DSLName: "Sarah Oduya", DSLEmail: "dsl@kitchentable.provider.example", DSLPhone: "07700 900217"},
	{Key: "spiceroute", Name: "Spice Route Cookery School", SettingType: "Community interest company", Address: "Community Kitchen, Stoney Stanton Road, Coventry", Postcode: "CV6 5FB", Phone: "024 7696 0218", Email: "office@spiceroute.provider.example", Registered: false, DSLName: "Kamaljit Gill", DSLEmail: "dsl@spiceroute.provider.example", DSLPhone: "07700 900218"},
	{Key: "frontofhouse", Name: "Front of House Hospitality Training", UKPRN: "19000308", Address: "Hotel School Suite, Warwick Row, Coventry", Postcode: "CV1 1EX", Phone: "024 7696 0219", Email: "office@frontofhouse.provider.example", Registered: true, DSLName: "Trevor Mayhew", DSLEmail: "dsl@frontofhouse.provider.example", DSLPhone: "07700 900219"},

	// Vocational learning: animal care.
	{Key: "meadowbankfarm", Name: "Meadowbank City Farm Learning", UKPRN: "19000309", Address: "Meadowbank Farm, Brandon Lane, Coventry", Postcode: "CV3 3GU", Phone: "024 7696 0220", Email: "office@meadowbankfarm.provider.example", Registered: true, DSLName: "Ruth Elsworth", DSLEmail: "dsl@meadowbankfarm.provider.example", DSLPhone: "07700 900220"},
	{Key: "pawshooves", Name: "Paws & Hooves Animal Care", UKPRN: "19000310", Address: "Stable Yard, Tile Hill Lane, Coventry", Postcode: "CV4 9DE", Phone: "024 7696 0221", Email: "office@pawshooves.provider.example", Registered: true, DSLName: "Martin Goode", DSLEmail: "dsl@pawshooves.provider.example", DSLPhone: "07700 900221"},
	{Key: "equineinsight", Name: "Equine Insight Learning", SettingType: "Community interest company", Address: "Paddock Farm, Westwood Heath Road, Coventry", Postcode: "CV4 8GN", Phone: "024 7696 0222", Email: "office@equineinsight.provider.example", Registered: false, DSLName: "Caroline Yates", DSLEmail: "dsl@equineinsight.provider.example", DSLPhone: "07700 900222"},

	// Practical skill development.
	{Key: "greenhand", Name: "Greenhand Horticulture", UKPRN: "19000311", Address: "Allotment Gardens, Sewall Highway, Coventry", Postcode: "CV2 3NS", Phone: "024 7696 0223", Email: "office@greenhand.provider.example", Registered: true, DSLName: "Wendy Hartshorn", DSLEmail: "dsl@greenhand.provider.example", DSLPhone: "07700 900223"},
	{Key: "wheelwright", Name: "Wheelwright Bike Workshop", SettingType: "Charitable incorporated organisation", Address: "Cycle Hub, Gulson Road, Coventry", Postcode: "CV1 2JH", Phone: "024 7696 0224", Email: "office@wheelwright.provider.example", Registered: false, DSLName: "Angela Forster", DSLEmail: "dsl@wheelwright.provider.example", DSLPhone: "07700 900224"},
	{Key: "makersyard", Name: "Makers Yard Woodcraft", UKPRN: "19000312", Address: "Makers Yard, Lower Ford Street, Coventry", Postcode: "CV1 5PW", Phone: "024 7696 0225", Email: "office@makersyard.provider.example", Registered: true, DSLName: "Diane Purcell", DSLEmail: "dsl@makersyard.provider.example", DSLPhone: "07700 900225"},
	{Key: "brightspark", Name: "Bright Spark Electrical Skills", UKPRN: "19000313", Address: "Unit 2, Sparkbrook Close, Coventry", Postcode: "CV6 4LG", Phone: "024 7696 0226", Email: "office@brightspark.provider.example", Registered: true, DSLName: "Louise Garner", DSLEmail: "dsl@brightspark.provider.example", DSLPhone: "07700 900226"},
	{Key: "forestfloor", Name: "Forest Floor Bushcraft", SettingType: "Unregistered independent training provider", Address: "Woodland Camp, Banner Lane, Coventry", Postcode: "CV4 9HL", Phone: "024 7696 0227", Email: "office@forestfloor.provider.example", Registered: false, DSLName: "Maya Fenton", DSLEmail: "dsl@forestfloor.provider.example", DSLPhone: "07700 900227"},

	// Personal development: boxing and sport.
	{Key: "southpaw", Name: "Southpaw Boxing Academy", UKPRN: "19000314", Address: "The Gym, Harnall Lane East, Coventry", Postcode: "CV1 5AE", Phone: "024 7696 0228", Email: "office@southpaw.provider.example", Registered: true, DSLName: "Jackie Monroe", DSLEmail: "dsl@southpaw.provider.example", DSLPhone: "07700 900228"},
	{Key: "ringside", Name: "Ringside Resilience Boxing Club", SettingType: "Community interest company", Address: "Ringside Hall, Bell Green Road, Coventry", Postcode: "CV6 7GP", Phone: "024 7696 0229", Email: "office@ringside.provider.example", Registered: false, DSLName: "Yvonne Clarke", DSLEmail: "dsl@ringside.provider.example", DSLPhone: "07700 900229"},
	{Key: "pitchside", Name: "Pitchside Football Development", UKPRN: "19000319", Address: "Pavilion, Memorial Park Fields, Coventry", Postcode: "CV3 6PT", Phone: "024 7696 0230", Email: "office@pitchside.provider.example", Registered: true, DSLName: "Julie Cresswell", DSLEmail: "dsl@pitchside.provider.example", DSLPhone: "07700 900230"},

	// Personal development: mentoring.
	{Key: "nextchapter", Name: "Next Chapter Mentoring", UKPRN: "19000315", Address: "Chapter House, Priory Row, Coventry", Postcode: "CV1 5EX", Phone: "024 7696 0231", Email: "office@nextchapter.provider.example", Registered: true, DSLName: "Katherine Lowe", DSLEmail: "dsl@nextchapter.provider.example", DSLPhone: "07700 900231"},
	{Key: "steadyground", Name: "Steady Ground Mentoring", UKPRN: "19000316", Address: "Community Rooms, Jardine Crescent, Coventry", Postcode: "CV4 9PL", Phone: "024 7696 0232", Email: "office@steadyground.provider.example", Registered: true, DSLName: "Neil Sutcliffe", DSLEmail: "dsl@steadyground.provider.example", DSLPhone: "07700 900232"},

	// Personal development: arts, music, drama and dance.
	{Key: "loudcanvas", Name: "Loud Canvas Arts Collective", SettingType: "Community interest company", Address: "Studio 5, FarGo Village, Coventry", Postcode: "CV1 5ED", Phone: "024 7696 0233", Email: "office@loudcanvas.provider.example", Registered: false, DSLName: "Miriam Hale", DSLEmail: "dsl@loudcanvas.provider.example", DSLPhone: "07700 900233"},
	{Key: "backbeat", Name: "Backbeat Studio Music Project", UKPRN: "19000317", Address: "Basement Studio, Hertford Street, Coventry", Postcode: "CV1 1LF", Phone: "024 7696 0234", Email: "office@backbeat.provider.example", Registered: true, DSLName: "Lisa Merriman", DSLEmail: "dsl@backbeat.provider.example", DSLPhone: "07700 900234"},
	{Key: "spotlight", Name: "Spotlight Drama Works", UKPRN: "19000318", Address: "Rehearsal Rooms, Belgrade Square, Coventry", Postcode: "CV1 1GS", Phone: "024 7696 0235", Email: "office@spotlight.provider.example", Registered: true, DSLName: "Patrick Shand", DSLEmail: "dsl@spotlight.provider.example", DSLPhone: "07700 900235"},
	{Key: "freestyle", Name: "Freestyle Dance Foundation", SettingType: "Charitable incorporated organisation", Address: "Dance Studio, Cox Street, Coventry", Postcode: "CV1 5PN", Phone: "024 7696 0236", Email: "office@freestyle.provider.example", Registered: false, DSLName: "Rebecca Trent", DSLEmail: "dsl@freestyle.provider.example", DSLPhone: "07700 900236"},

	// Curriculum support: tutoring and small-group learning.
	{Key: "secondchance", Name: "Second Chance Tutoring", UKPRN: "19000320", Address: "Learning Suite, Queen Victoria Road, Coventry", Postcode: "CV1 3JH", Phone: "024 7696 0237", Email: "office@secondchance.provider.example", Registered: true, DSLName: "Philip Rendell", DSLEmail: "dsl@secondchance.provider.example", DSLPhone: "07700 900237"},
	{Key: "numbersup", Name: "Numbers Up Maths Tuition", UKPRN: "19000321", Address: "Counting House, Station Square, Coventry", Postcode: "CV1 2GT", Phone: "024 7696 0238", Email: "office@numbersup.provider.example", Registered: true, DSLName: "Heather Moss", DSLEmail: "dsl@numbersup.provider.example", DSLPhone: "07700 900238"},
	{Key: "wordpower", Name: "Word Power English Tutoring", SettingType: "Unregistered independent training provider", Address: "Library Annexe, Holbrook Lane, Coventry", Postcode: "CV6 4DE", Phone: "024 7696 0239", Email: "office@wordpower.provider.example", Registered: false, DSLName: "Colin Ashe", DSLEmail: "dsl@wordpower.provider.example", DSLPhone: "07700 900239"},
	{Key: "freshstart", Name: "Fresh Start Learning Centre", URN: "190602", Address: "Fresh Start House, Clay Lane, Coventry", Postcode: "CV2 4LQ", Phone: "024 7696 0240", Email: "office@freshstart.provider.example", Registered: true, DSLName: "Richard Penrose", DSLEmail: "dsl@freshstart.provider.example", DSLPhone: "07700 900240"},
	{Key: "canalside", Name: "Canalside Learning Hub", URN: "190604", Address: "Canal Basin Warehouse, Leicester Row, Coventry", Postcode: "CV1 4LH", Phone: "024 7696 0241", Email: "office@canalside.provider.example", Registered: true, DSLName: "Geoff Marriner", DSLEmail: "dsl@canalside.provider.example", DSLPhone: "07700 900241"},

	// Targeted support: therapeutic, wellbeing and social development.
	{Key: "calmwaters", Name: "Calm Waters Therapeutic School", URN: "190603", Address: "Calm Waters, Kenilworth Road, Coventry", Postcode: "CV3 6JL", Phone: "024 7696 0242", Email: "office@calmwaters.provider.example", Registered: true, DSLName: "Ian Galloway", DSLEmail: "dsl@calmwaters.provider.example", DSLPhone: "07700 900242"},
	{Key: "mindfulpaths", Name: "Mindful Paths Wellbeing", UKPRN: "19000322", Address: "Wellbeing Centre, Binley Road, Coventry", Postcode: "CV3 1JA", Phone: "024 7696 0243", Email: "office@mindfulpaths.provider.example", Registered: true, DSLName: "Shaun Kerr", DSLEmail: "dsl@mindfulpaths.provider.example", DSLPhone: "07700 900243"},
	{Key: "streetwise", Name: "Streetwise Choices", UKPRN: "19000328", Address: "Youth Hub, Moat Street, Coventry", Postcode: "CV1 3LZ", Phone: "024 7696 0244", Email: "office@streetwise.provider.example", Registered: true, DSLName: "Carol Nunn", DSLEmail: "dsl@streetwise.provider.example", DSLPhone: "07700 900244"},
	{Key: "onlinesafe", Name: "Safe Online Spaces", UKPRN: "19000329", Address: "Digital Suite, Whitefriars Street, Coventry", Postcode: "CV1 2DS", Phone: "024 7696 0245", Email: "office@onlinesafe.provider.example", Registered: true, DSLName: "Alan Prosser", DSLEmail: "dsl@onlinesafe.provider.example", DSLPhone: "07700 900245"},

	// Employability.
	{Key: "nextstep", Name: "Next Step Employability", UKPRN: "19000323", Address: "Careers Hub, Corporation Street, Coventry", Postcode: "CV1 1GX", Phone: "024 7696 0246", Email: "office@nextstep.provider.example", Registered: true, DSLName: "Susan Blakemore", DSLEmail: "dsl@nextstep.provider.example", DSLPhone: "07700 900246"},
	{Key: "hiredup", Name: "Hired Up Careers", UKPRN: "19000324", Address: "Suite 9, Upper Well Street, Coventry", Postcode: "CV1 4AG", Phone: "024 7696 0247", Email: "office@hiredup.provider.example", Registered: true, DSLName: "Darren Pollard", DSLEmail: "dsl@hiredup.provider.example", DSLPhone: "07700 900247"},
	{Key: "firstrung", Name: "First Rung Work Skills", UKPRN: "19000325", Address: "Ladder House, Burnaby Road, Coventry", Postcode: "CV6 4AE", Phone: "024 7696 0248", Email: "office@firstrung.provider.example", Registered: true, DSLName: "Nicola Farrant", DSLEmail: "dsl@firstrung.provider.example", DSLPhone: "07700 900248"},
	{Key: "careerforge", Name: "Career Forge", UKPRN: "19000326", Address: "Forge Works, Sandy Lane, Coventry", Postcode: "CV1 4DQ", Phone: "024 7696 0249", Email: "office@careerforge.provider.example", Registered: true, DSLName: "Kirsty Mallinson", DSLEmail: "dsl@careerforge.provider.example", DSLPhone: "07700 900249"},
	{Key: "sparkenterprise", Name: "Spark Enterprise Youth", UKPRN: "19000327", Address: "Enterprise Loft, Bishop Street, Coventry", Postcode: "CV1 1HU", Phone: "024 7696 0250", Email: "office@sparkenterprise.provider.example", Registered: true, DSLName: "Victoria Leach", DSLEmail: "dsl@sparkenterprise.provider.example", DSLPhone: "07700 900250"},
}

// DemoUsers lists the fictional people who can sign in to the demo, with their organisation and roles.
var DemoUsers = []DemoUser{
	// Coventry Alternative Provision.
	{Email: "admin@cap.example", Name: "Joanne Tranter", OrgKey: CAPOrgKey, Roles: []string{RoleCAPAdmin}},
	{Email: "admin2@cap.example", Name: "Yusuf Patel", OrgKey: CAPOrgKey, Roles: []string{RoleCAPAdmin}},
	{Email: "monitoring@cap.example", Name: "Dean Hargreaves", OrgKey: CAPOrgKey, Roles: []string{RoleMonitoringOfficer}},
	{Email: "safeguarding@cap.example", Name: "Alison Kirkbride", OrgKey: CAPOrgKey, Roles: []string{RoleCAPDSL}},
	{Email: "lead@cap.example", Name: "Fiona Castleton", OrgKey: CAPOrgKey, Roles: []string{RoleServiceLead, RolePanelMember}},
	{Email: "panel@cap.example", Name: "Gareth Llewellyn", OrgKey: CAPOrgKey, Roles: []string{RolePanelMember}},

	// Whitmore Park Academy.
	{Email: "coordinator@whitmore.school.example", Name: "Hannah Okafor", OrgKey: "whitmore", Roles: []string{RoleCoordinator}},
	{Email: "dsl@whitmore.school.example", Name: "Marcus Bennett", OrgKey: "whitmore", Roles: []string{RoleDSL}},
	{Email: "headteacher@whitmore.school.example", Name: "Rachel Thornbury", OrgKey: "whitmore", Roles: []string{RoleHeadteacher, RolePanelMember}},

	// CAP coordinators at the other schools.
	{Email: "coordinator@canleybrook.school.example", Name: "Amrit Dhaliwal", OrgKey: "canleybrook", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@radfordmeadows.school.example", Name: "Sophie Kowalczyk", OrgKey: "radfordmeadows", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@cheylesmorevale.school.example", Name: "Daniel Asante", OrgKey: "cheylesmorevale", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@earlsdonridge.school.example", Name: "Laura Pemberton", OrgKey: "earlsdonridge", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@longfordbrook.school.example", Name: "Imran Choudhury", OrgKey: "longfordbrook", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@holbrookforge.school.example", Name: "Kerry Ashworth", OrgKey: "holbrookforge", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@wykenheath.school.example", Name: "Tomasz Nowicki", OrgKey: "wykenheath", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@bellgreenfields.school.example", Name: "Gemma Lister", OrgKey: "bellgreenfields", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@binleyoak.school.example", Name: "Jaspreet Bains", OrgKey: "binleyoak", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@willenhallmeadow.school.example", Name: "Nadia Mensah", OrgKey: "willenhallmeadow", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@tilehillheath.school.example", Name: "Owen Prichard", OrgKey: "tilehillheath", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@allesleyvale.school.example", Name: "Charlotte Fenwick", OrgKey: "allesleyvale", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@foleshillwharf.school.example", Name: "Bilal Hussain", OrgKey: "foleshillwharf", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@stivichallcroft.school.example", Name: "Eleanor Marsh", OrgKey: "stivichallcroft", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@spongate.school.example", Name: "Kwame Boateng", OrgKey: "spongate", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@hillfieldsvale.school.example", Name: "Zara Iqbal", OrgKey: "hillfieldsvale", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@walsgravefields.school.example", Name: "Ciaran Doyle", OrgKey: "walsgravefields", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@keresleymoor.school.example", Name: "Harriet Quinn", OrgKey: "keresleymoor", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@greyfriarsgreen.school.example", Name: "Ravi Mistry", OrgKey: "greyfriarsgreen", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@sowebank.school.example", Name: "Leanne Cartwright", OrgKey: "sowebank", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@aldermoor.school.example", Name: "Agnieszka Wrona", OrgKey: "aldermoor", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@brownslane.school.example", Name: "Jordan Whitfield", OrgKey: "brownslane", Roles: []string{RoleCoordinator}},
	{Email: "coordinator@daimlergreen.school.example", Name: "Funmilayo Adeyemi", OrgKey: "daimlergreen", Roles: []string{RoleCoordinator}},

	// Ridgeway Motor Skills and Coventry AP Academy.
	{Email: "staff@ridgeway.provider.example", Name: "Craig Holloway", OrgKey: "ridgeway", Roles: []string{RoleProviderStaff}},
	{Email: "tutor@ridgeway.provider.example", Name: "Aisha Rahman", OrgKey: "ridgeway", Roles: []string{RoleProviderStaff}},
	{Email: "dsl@ridgeway.provider.example", Name: "Beverley Stanton", OrgKey: "ridgeway", Roles: []string{RoleProviderDSL}},
	{Email: "staff@capa.provider.example", Name: "Nathan Ellery", OrgKey: "capa", Roles: []string{RoleProviderStaff}},
	{Email: "dsl@capa.provider.example", Name: "Samina Akhtar", OrgKey: "capa", Roles: []string{RoleProviderDSL}},

	// One staff member at every other provider.
	{Email: "staff@worknlearn.provider.example", Name: "Lee Brampton", OrgKey: "worknlearn", Roles: []string{RoleProviderStaff}},
	{Email: "staff@lumen.provider.example", Name: "Priya Nair", OrgKey: "lumen", Roles: []string{RoleProviderStaff}},
	{Email: "staff@mwimpact.provider.example", Name: "Andre Campbell", OrgKey: "mwimpact", Roles: []string{RoleProviderStaff}},
	{Email: "staff@intuitive.provider.example", Name: "Helen Ashby", OrgKey: "intuitive", Roles: []string{RoleProviderStaff}},
	{Email: "staff@outdoor.provider.example", Name: "Rhys Hollins", OrgKey: "outdoor", Roles: []string{RoleProviderStaff}},
	{Email: "staff@petxi.provider.example", Name: "Natalie Ferris", OrgKey: "petxi", Roles: []string{RoleProviderStaff}},
	{Email: "staff@pistonworks.provider.example", Name: "Dale Corbett", OrgKey: "pistonworks", Roles: []string{RoleProviderStaff}},
	{Email: "staff@torquelane.provider.example", Name: "Stuart Pike", OrgKey: "torquelane", Roles: []string{RoleProviderStaff}},
	{Email: "staff@foundrylane.provider.example", Name: "Jamie Rowntree", OrgKey: "foundrylane", Roles: []string{RoleProviderStaff}},
	{Email: "staff@brickbeam.provider.example", Name: "Wes Harrington", OrgKey: "brickbeam", Roles: []string{RoleProviderStaff}},
	{Email: "staff@keystonetrades.provider.example", Name: "Adam Lockwood", OrgKey: "keystonetrades", Roles: []string{RoleProviderStaff}},
	{Email: "staff@shearsshine.provider.example", Name: "Kelly Marchant", OrgKey: "shearsshine", Roles: []string{RoleProviderStaff}},
	{Email: "staff@glowup.provider.example", Name: "Chantelle Brooks", OrgKey: "glowup", Roles: []string{RoleProviderStaff}},
	{Email: "staff@salonpathways.provider.example", Name: "Megan Tyler", OrgKey: "salonpathways", Roles: []string{RoleProviderStaff}},
	{Email: "staff@kitchentable.provider.example", Name: "Ben Atherton", OrgKey: "kitchentable", Roles: []string{RoleProviderStaff}},
	{Email: "staff@spiceroute.provider.example", Name: "Harjit Sangha", OrgKey: "spiceroute", Roles: []string{RoleProviderStaff}},
	{Email: "staff@frontofhouse.provider.example", Name: "Ellie Bancroft", OrgKey: "frontofhouse", Roles: []string{RoleProviderStaff}},
	{Email: "staff@meadowbankfarm.provider.example", Name: "Tom Fairbairn", OrgKey: "meadowbankfarm", Roles: []string{RoleProviderStaff}},
	{Email: "staff@pawshooves.provider.example", Name: "Jess Calloway", OrgKey: "pawshooves", Roles: []string{RoleProviderStaff}},
	{Email: "staff@equineinsight.provider.example", Name: "Isla Pennington", OrgKey: "equineinsight", Roles: []string{RoleProviderStaff}},
	{Email: "staff@greenhand.provider.example", Name: "Ade Oladipo", OrgKey: "greenhand", Roles: []string{RoleProviderStaff}},
	{Email: "staff@wheelwright.provider.example", Name: "Callum Reid", OrgKey: "wheelwright", Roles: []string{RoleProviderStaff}},
	{Email: "staff@makersyard.provider.example", Name: "Sam Woodhouse", OrgKey: "makersyard", Roles: []string{RoleProviderStaff}},
	{Email: "staff@brightspark.provider.example", Name: "Gary Newbold", OrgKey: "brightspark", Roles: []string{RoleProviderStaff}},
	{Email: "staff@forestfloor.provider.example", Name: "Robin Ashdown", OrgKey: "forestfloor", Roles: []string{RoleProviderStaff}},
	{Email: "staff@southpaw.provider.example", Name: "Tyrone Gayle", OrgKey: "southpaw", Roles: []string{RoleProviderStaff}},
	{Email: "staff@ringside.provider.example", Name: "Errol Baptiste", OrgKey: "ringside", Roles: []string{RoleProviderStaff}},
	{Email: "staff@pitchside.provider.example", Name: "Mark Eddison", OrgKey: "pitchside", Roles: []string{RoleProviderStaff}},
	{Email: "staff@nextchapter.provider.example", Name: "Hassan Qureshi", OrgKey: "nextchapter", Roles: []string{RoleProviderStaff}},
	{Email: "staff@steadyground.provider.example", Name: "Bethany Croft", OrgKey: "steadyground", Roles: []string{RoleProviderStaff}},
	{Email: "staff@loudcanvas.provider.example", Name: "Frankie Osei", OrgKey: "loudcanvas", Roles: []string{RoleProviderStaff}},
	{Email: "staff@backbeat.provider.example", Name: "Dev Malhotra", OrgKey: "backbeat", Roles: []string{RoleProviderStaff}},
	{Email: "staff@spotlight.provider.example", Name: "Olivia Dunmore", OrgKey: "spotlight", Roles: []string{RoleProviderStaff}},
	{Email: "staff@freestyle.provider.example", Name: "Keisha Alleyne", OrgKey: "freestyle", Roles: []string{RoleProviderStaff}},
	{Email: "staff@secondchance.provider.example", Name: "Anita Bhatt", OrgKey: "secondchance", Roles: []string{RoleProviderStaff}},
	{Email: "staff@numbersup.provider.example", Name: "Vikram Rao", OrgKey: "numbersup", Roles: []string{RoleProviderStaff}},
	{Email: "staff@wordpower.provider.example", Name: "Grace Whitaker", OrgKey: "wordpower", Roles: []string{RoleProviderStaff}},
	{Email: "staff@freshstart.provider.example", Name: "Emma Sowerby", OrgKey: "freshstart", Roles: []string{RoleProviderStaff}},
	{Email: "staff@canalside.provider.example", Name: "Irena Dabrowska", OrgKey: "canalside", Roles: []string{RoleProviderStaff}},
	{Email: "staff@calmwaters.provider.example", Name: "Naomi Fielding", OrgKey: "calmwaters", Roles: []string{RoleProviderStaff}},
	{Email: "staff@mindfulpaths.provider.example", Name: "Leah Montague", OrgKey: "mindfulpaths", Roles: []string{RoleProviderStaff}},
	{Email: "staff@streetwise.provider.example", Name: "Jermaine Pryce", OrgKey: "streetwise", Roles: []string{RoleProviderStaff}},
	{Email: "staff@onlinesafe.provider.example", Name: "Ruby Castell", OrgKey: "onlinesafe", Roles: []string{RoleProviderStaff}},
	{Email: "staff@nextstep.provider.example", Name: "Tariq Mahmood", OrgKey: "nextstep", Roles: []string{RoleProviderStaff}},
	{Email: "staff@hiredup.provider.example", Name: "Chloe Wainwright", OrgKey: "hiredup", Roles: []string{RoleProviderStaff}},
	{Email: "staff@firstrung.provider.example", Name: "Joel Ambrose", OrgKey: "firstrung", Roles: []string{RoleProviderStaff}},
	{Email: "staff@careerforge.provider.example", Name: "Bradley Heath", OrgKey: "careerforge", Roles: []string{RoleProviderStaff}},
	{Email: "staff@sparkenterprise.provider.example", Name: "Tobi Adeleye", OrgKey: "sparkenterprise", Roles: []string{RoleProviderStaff}},
}

// demoRoleLogins names, per role and in console order, the demo user to sign in as.
var demoRoleLogins = []struct{ Role, Email string }{
	{RoleCAPAdmin, "admin@cap.example"},
	{RoleMonitoringOfficer, "monitoring@cap.example"},
	{RoleCAPDSL, "safeguarding@cap.example"},
	{RoleServiceLead, "lead@cap.example"},
	{RolePanelMember, "panel@cap.example"},
	{RoleCoordinator, "coordinator@whitmore.school.example"},
	{RoleDSL, "dsl@whitmore.school.example"},
	{RoleHeadteacher, "headteacher@whitmore.school.example"},
	{RoleProviderStaff, "staff@ridgeway.provider.example"},
	{RoleProviderDSL, "dsl@ridgeway.provider.example"},
}

// DemoAcademyLogin is the demo's sign-in for Coventry AP Academy, which runs Refocus and Focus 11:
// provider staff like the provider login above, at the provider whose cohorts the panels fill.
const DemoAcademyLogin = "staff@capa.provider.example"

// DemoLoginRoles returns the role each DemoRoleLogins entry signs in as, index for index.
func DemoLoginRoles() []string {
	roles := make([]string, len(demoRoleLogins))
	for i, l := range demoRoleLogins {
		roles[i] = l.Role
	}
	return roles
}

// DemoRoleLogins returns one demo user per role, in the order cap_admin, monitoring_officer, cap_dsl, service_lead, panel_member, coordinator, dsl, headteacher, provider_staff, provider_dsl.
func DemoRoleLogins() []DemoUser {
	users := make([]DemoUser, 0, len(demoRoleLogins))
	for _, l := range demoRoleLogins {
		i := slices.IndexFunc(DemoUsers, func(u DemoUser) bool { return u.Email == l.Email })
		if i < 0 {
			panic("seed: demo login " + l.Email + " is missing from DemoUsers")
		}
		u := DemoUsers[i]
		u.Roles = slices.Clone(u.Roles)
		users = append(users, u)
	}
	return users
}
