package seed

import (
	"time"

	"github.com/coventry-cap/capportal/internal/calendar"
)

// DemoProgramme is a CAP Directory programme in the demo data. Slug keys it, so a second load finds
// it again even after CAP has renamed it.
type DemoProgramme struct {
	Slug           string
	Provider       string // the provider's key; "" for Supported Transfer
	Kind           string
	Name           string
	Category       string
	Description    string
	Qualifications string
	Duration       string
	Weeks          int // 0 when not a fixed number of weeks
	DaysPerWeek    int
	Days           []time.Weekday
	FeePence       int    // used when FeeBasis is set
	FeeBasis       string // "day", "week", "course", or "" for no fee
	YearGroups     []int
	Capacity       int // places per cohort; 0 for none
	Windows        []DemoWindow
}

// DemoWindow is a period in which a demo programme takes referrals.
type DemoWindow struct {
	AcademicYear  string
	Opens, Closes calendar.Date
	Label         string
}

// DemoSite is a delivery site of a demo provider, besides its main address.
type DemoSite struct {
	Provider, Name, Address, Postcode string
}

// Short names for dirWeekdays, to keep the tables below readable.
const (
	dirMon = time.Monday
	dirTue = time.Tuesday
	dirWed = time.Wednesday
	dirThu = time.Thursday
	dirFri = time.Friday
)

var dirWeekdays = []time.Weekday{dirMon, dirTue, dirWed, dirThu, dirFri}

// demoSpecialProgrammes are the reference pack's own programmes, with its rules: Insight (Tier 2,
// 6–12 weeks, one day a week), Flourish (Tier 2, 12 weeks, two days a week, panel), Supported
// Transfer, Refocus and Focus 11 (Tier 3), and the Year 11 Post-16 programmes of the six approved
// providers (Year 11 only, up to two days a week).
var demoSpecialProgrammes = []DemoProgramme{
	// Tier 3.
	{
		Slug: "supported-transfer", Kind: "supported_transfer", Name: "Supported Transfer",
		Description: "For pupils at risk of permanent exclusion: a managed transfer to a new Coventry secondary school, agreed at the Supported Transfer Headteacher Placement Meeting. It is not an alternative to permanent exclusion. It is hoped the pupil transfers successfully to the new school, or returns successfully to their home school. A SEMHL Practitioner gives outreach support during the placement.",
		Duration:    "A transfer placement, reviewed before the move becomes permanent", DaysPerWeek: 5, Days: dirWeekdays,
		YearGroups: []int{7, 8, 9, 10, 11},
	},
	{
		Slug: "capa-refocus", Provider: "capa", Kind: "refocus", Name: "Refocus",
		Description:    "A time-limited intervention at Coventry AP Academy that helps students identify their needs and overcome the barriers to their success at school, combining curriculum access with targeted interventions. For the first seven weeks the student attends the Academy four days a week and their home school on Mondays; the last three weeks are the Back to School Phase. The Academy trains a member of the school's staff to support the student on their return.",
		Qualifications: "Curriculum access in English, maths and science alongside targeted interventions",
		Duration:       "10 weeks: 7 weeks at the Academy, then a 3-week Back to School Phase", Weeks: 10,
		DaysPerWeek: 4, Days: []time.Weekday{dirTue, dirWed, dirThu, dirFri}, YearGroups: []int{7, 8, 9, 10}, Capacity: 25,
	},
	{
		Slug: "capa-focus-11", Provider: "capa", Kind: "focus11", Name: "Focus 11",
		Description:    "A targeted, short-term intervention for Year 11 pupils who need to re-engage with their education in the final stages of secondary school. Each pupil has a personalised learning plan with a strong emphasis on academic progress, personal development and future employability, then a graduated return to their home school with visits by Academy staff. Pupils referred will be aiming for a Level 1 education.",
		Qualifications: "ASDAN Entry Level 3 or Level 1 Employability and Progression award; Entry Level 3 in Construction or Hair and Beauty; Functional Skills qualifications from Entry Level 3 to Level 2; English, maths and science to GCSE level",
		Duration:       "10 weeks", Weeks: 10, DaysPerWeek: 4, Days: []time.Weekday{dirTue, dirWed, dirThu, dirFri}, YearGroups: []int{11},
		Windows: []DemoWindow{{AcademicYear: "2025/26", Opens: calendar.NewDate(2025, time.September, 1), Closes: calendar.NewDate(2025, time.December, 19), Label: "the autumn term of 2025/26"}},
	},

	// Tier 2: Insight.
	{Slug: "streetwise-insight-knife-crime", Provider: "streetwise", Kind: "insight", Name: "Insight: Knife Crime and Consequences", Category: "Personal Development",
		Description: "A social development course on the realities of carrying a knife: the law, the medical facts and the effect on families, led by youth workers and a former A&E nurse.",
		Duration:    "6 weeks", Weeks: 6, DaysPerWeek: 1, Days: []time.Weekday{dirWed}, FeePence: 42000, FeeBasis: "course", YearGroups: []int{7, 8, 9, 10, 11}},
	{Slug: "streetwise-insight-county-lines", Provider: "streetwise", Kind: "insight", Name: "Insight: County Lines and Exploitation", Category: "Personal Development",
		Description: "Helps students recognise grooming, criminal exploitation and county lines recruitment, and practise ways to say no and to get help.",
		Duration:    "8 weeks", Weeks: 8, DaysPerWeek: 1, Days: []time.Weekday{dirThu}, FeePence: 52000, FeeBasis: "course", YearGroups: []int{8, 9, 10, 11}},
	{Slug: "onlinesafe-insight-staying-safe-online", Provider: "onlinesafe", Kind: "insight", Name: "Insight: Staying Safe Online", Category: "Personal Development",
		Description: "Social media, sharing images, online gaming and scams: what the risks are and how to manage them, with a session for parents and carers.",
		Duration:    "6 weeks", Weeks: 6, DaysPerWeek: 1, Days: []time.Weekday{dirMon}, FeePence: 39000, FeeBasis: "course", YearGroups: []int{7, 8, 9, 10, 11}},
	{Slug: "onlinesafe-insight-healthy-relationships", Provider: "onlinesafe", Kind: "insight", Name: "Insight: Healthy Relationships", Category: "Personal Development",
		Description: "Consent, respect, coercive control and misogyny online and offline, explored in small groups with trained facilitators.",
		Duration:    "8 weeks", Weeks: 8, DaysPerWeek: 1, Days: []time.Weekday{dirTue}, FeePence: 48000, FeeBasis: "course", YearGroups: []int{9, 10, 11}},
	{Slug: "mindfulpaths-insight-anger-conflict", Provider: "mindfulpaths", Kind: "insight", Name: "Insight: Managing Anger and Conflict", Category: "Personal Development",
		Description: "Understanding triggers, calming strategies and repairing relationships after conflict, using cognitive behavioural techniques.",
		Duration:    "10 weeks", Weeks: 10, DaysPerWeek: 1, Days: []time.Weekday{dirFri}, FeePence: 61000, FeeBasis: "course", YearGroups: []int{7, 8, 9, 10, 11}},
	{Slug: "equineinsight-insight-social-skills", Provider: "equineinsight", Kind: "insight", Name: "Insight: Equine-Assisted Social Skills", Category: "Personal Development",
		Description: "Working with horses to build trust, communication and self-regulation; students learn to read body language, their own and the horse's.",
		Duration:    "12 weeks", Weeks: 12, DaysPerWeek: 1, Days: []time.Weekday{dirWed}, FeePence: 72000, FeeBasis: "course", YearGroups: []int{7, 8, 9, 10}},
	{Slug: "southpaw-insight-respect-self-control", Provider: "southpaw", Kind: "insight", Name: "Insight: Respect and Self-Control", Category: "Personal Development",
		Description: "Boxing training combined with group discussion on respect, self-control and making safer choices on the street.",
		Duration:    "8 weeks", Weeks: 8, DaysPerWeek: 1, Days: []time.Weekday{dirThu}, FeePence: 45000, FeeBasis: "course", YearGroups: []int{8, 9, 10, 11}},

	// Tier 2: Flourish.
	{Slug: "calmwaters-flourish-therapeutic-learning", Provider: "calmwaters", Kind: "flourish", Name: "Flourish: Therapeutic Learning Programme", Category: "Personal Development",
		Description: "Uses therapeutic methods to assess the barriers that keep a student from learning and attending, then builds a plan with the school's caseworker. The school commits a caseworker and attends review meetings.",
		Duration:    "12 weeks", Weeks: 12, DaysPerWeek: 2, Days: []time.Weekday{dirTue, dirThu}, FeePence: 216000, FeeBasis: "course", YearGroups: []int{7, 8, 9, 10, 11}},
	{Slug: "mindfulpaths-flourish-wellbeing-attendance", Provider: "mindfulpaths", Kind: "flourish", Name: "Flourish: Wellbeing and Attendance Recovery", Category: "Personal Development",
		Description: "For students whose anxiety or low mood stops them attending: graded exposure, wellbeing coaching and a reintegration plan agreed with the school.",
		Duration:    "12 weeks", Weeks: 12, DaysPerWeek: 2, Days: []time.Weekday{dirMon, dirWed}, FeePence: 198000, FeeBasis: "course", YearGroups: []int{7, 8, 9, 10, 11}},
	{Slug: "intuitive-flourish-emotional-literacy", Provider: "intuitive", Kind: "flourish", Name: "Flourish: Emotional Literacy and Learning", Category: "Personal Development",
		Description: "Assesses how a student's emotional needs affect their learning, and teaches them and their school strategies to manage them.",
		Duration:    "12 weeks", Weeks: 12, DaysPerWeek: 2, Days: []time.Weekday{dirWed, dirFri}, FeePence: 204000, FeeBasis: "course", YearGroups: []int{7, 8, 9, 10}},
	{Slug: "equineinsight-flourish-equine-therapy", Provider: "equineinsight", Kind: "flourish", Name: "Flourish: Equine Therapy Programme", Category: "Personal Development",
		Description: "Equine-facilitated therapy with a qualified therapist for students with trauma or attachment needs that block their access to education.",
		Duration:    "12 weeks", Weeks: 12, DaysPerWeek: 2, Days: []time.Weekday{dirTue, dirThu}, FeePence: 240000, FeeBasis: "course", YearGroups: []int{7, 8, 9, 10, 11}},

	// Year 11 Post-16 programmes at the six approved providers.
	{Slug: "worknlearn-post16-work-experience", Provider: "worknlearn", Kind: "year11_post16", Name: "Year 11 Post-16 Pathway: Work Experience", Category: "Employability",
		Description: "Real work experience with local employers, careers advice and guidance, and help applying for college and apprenticeships, to move into a positive Post-16 destination.",
		Duration:    "Half a term to a full academic year", DaysPerWeek: 2, Days: []time.Weekday{dirMon, dirWed, dirThu}, FeePence: 7000, FeeBasis: "day", YearGroups: []int{11}},
	{Slug: "lumen-post16-academic-careers", Provider: "lumen", Kind: "year11_post16", Name: "Year 11 Post-16 Pathway: Academic Support and Careers", Category: "Curriculum Support",
		Description:    "English and maths support with one-to-one careers interviews, CV writing and college visits for Year 11 students at risk of becoming NEET.",
		Qualifications: "Functional Skills English and Maths Level 1 and Level 2",
		Duration:       "Half a term to a full academic year", DaysPerWeek: 2, Days: []time.Weekday{dirTue, dirThu}, FeePence: 7200, FeeBasis: "day", YearGroups: []int{11}},
	{Slug: "mwimpact-post16-mentoring", Provider: "mwimpact", Kind: "year11_post16", Name: "Year 11 Post-16 Pathway: Mentoring and Next Steps", Category: "Personal Development",
		Description: "A dedicated mentor, regular check-ins and practical steps towards college, training or work, with handover visits before the summer.",
		Duration:    "One term to a full academic year", DaysPerWeek: 1, Days: []time.Weekday{dirMon, dirFri}, FeePence: 6500, FeeBasis: "day", YearGroups: []int{11}},
	{Slug: "intuitive-post16-behaviour", Provider: "intuitive", Kind: "year11_post16", Name: "Year 11 Post-16 Pathway: Behaviour and Thinking Skills", Category: "Personal Development",
		Description: "Behavioural interventions and emotional and social support to help Year 11 students finish school and start their Post-16 course well.",
		Duration:    "Half a term to a full academic year", DaysPerWeek: 1, Days: []time.Weekday{dirWed}, FeePence: 6800, FeeBasis: "day", YearGroups: []int{11}},
	{Slug: "outdoor-post16-outdoor-learning", Provider: "outdoor", Kind: "year11_post16", Name: "Year 11 Post-16 Pathway: Outdoor Learning and Leadership", Category: "Personal Development",
		Description:    "Outdoor activities, leadership and teamwork, with careers guidance towards outdoor, sport and public services courses.",
		Qualifications: "Level 1 Award in Outdoor Activity Leadership",
		Duration:       "One term to a full academic year", DaysPerWeek: 2, Days: []time.Weekday{dirTue, dirWed}, FeePence: 7500, FeeBasis: "day", YearGroups: []int{11}},
	{Slug: "petxi-post16-animal-care", Provider: "petxi", Kind: "year11_post16", Name: "Year 11 Post-16 Pathway: Animal Care", Category: "Vocational Learning",
		Description:    "Vocational animal care with work experience in kennels and grooming, leading to land-based and animal care courses at college.",
		Qualifications: "Level 1 Certificate in Animal Care",
		Duration:       "Half a term to a full academic year", DaysPerWeek: 2, Days: []time.Weekday{dirThu, dirFri}, FeePence: 7000, FeeBasis: "day", YearGroups: []int{11}},
}

// demoCourse is a Tier 1 course in the demo data; its duration, days, fee and year groups are filled
// in by pattern (see DemoProgrammes) unless Years is set.
type demoCourse struct {
	Provider, Name, Category, Qualifications, Description string
	Years                                                 []int
}

// Short names for the five categories, to keep the table below readable.
const (
	catVoc = "Vocational Learning"
	catPSD = "Practical Skill Development"
	catPD  = "Personal Development"
	catCS  = "Curriculum Support"
	catEmp = "Employability"
)

// demoCourses are the Tier 1 Universal Offer: fictional but plausible courses, at least one at every
// demo provider, across the five categories.
var demoCourses = []demoCourse{
	{"capa", "CAPA Lite", catCS, "Functional Skills English and Maths, Entry Level 3 to Level 1", "A part-time place in the Academy's small classes, one or two days a week alongside the home-school timetable, with English, maths and personal development.", nil},

	{"worknlearn", "Work Experience Placements", catEmp, "Level 1 Award in Employability Skills", "Supported placements with local employers in retail, warehousing and hospitality, with a job coach who visits every week.", []int{10, 11}},
	{"worknlearn", "Warehouse and Logistics Skills", catVoc, "Level 1 Award in Warehousing and Storage", "Stock control, picking and packing, manual handling and forklift safety awareness in a training warehouse.", nil},
	{"lumen", "GCSE English and Maths Catch-up", catCS, "GCSE English Language and Maths, entered through the home school", "Small-group teaching towards GCSE English Language and Maths for students who have fallen behind, in groups of no more than six.", []int{10, 11}},
	{"lumen", "Functional Skills Maths", catCS, "Functional Skills Maths, Entry Level 3 to Level 2", "Everyday maths for money, measures and time, taught at the student's own level with an assessment when they are ready.", nil},
	{"mwimpact", "Impact Mentoring", catPD, "ASDAN Short Course in Personal Development", "One-to-one and small-group mentoring with trained youth mentors, working on goals the student sets, attendance and relationships at school.", nil},
	{"mwimpact", "Sports Leadership", catPD, "Level 1 Award in Sports Leadership", "Students plan and lead sports sessions for younger children, building confidence, communication and responsibility.", nil},
	{"intuitive", "Thinking Skills for Learning", catPD, "ASDAN Personal Development Programme Certificate", "Practical sessions on managing emotions, solving problems and making choices, using the Intuitive Thinking Skills approach.", nil},
	{"outdoor", "Outdoor Adventure and Teamwork", catPD, "John Muir Award (Discovery)", "Canoeing, climbing and orienteering in and around Coventry that build trust, resilience and teamwork.", nil},
	{"outdoor", "Expedition and Navigation Skills", catPSD, "Level 1 Award in Outdoor Activity Skills", "Map reading, route planning, camp craft and a final two-day expedition in the Warwickshire countryside.", nil},
	{"outdoor", "Climbing Wall Instruction", catPSD, "Entry Level 3 Award in Climbing Skills", "Indoor climbing, rope work and belaying, with a focus on trust, safety and supporting others.", nil},
	{"petxi", "Animal Care and Dog Grooming", catVoc, "Level 1 Certificate in Animal Care", "Bathing, drying and clipping dogs in a working grooming salon, with animal health, welfare and handling.", nil},
	{"petxi", "Small Animal Handling", catVoc, "Entry Level 3 Award in Animal Care", "Caring for rabbits, guinea pigs and reptiles: feeding, cleaning, health checks and safe handling.", []int{7, 8, 9}},

	{"ridgeway", "Motor Vehicle Maintenance", catVoc, "Level 1 Certificate in Light Vehicle Maintenance", "Servicing cars in a working garage workshop: oil and filter changes, brakes, tyres and lighting checks.", nil},
	{"ridgeway", "Introduction to Vehicle Valeting", catVoc, "Entry Level 3 Award in Vehicle Valeting", "Cleaning and valeting cars inside and out to a professional standard, with customer service.", nil},
	{"ridgeway", "Motor Vehicle Level 2 Progression", catVoc, "Level 2 Certificate in Light Vehicle Maintenance and Repair", "For students who have finished the Level 1 course: diagnostics, suspension and steering, and preparation for an apprenticeship.", []int{11}},
	{"ridgeway", "Vehicle Body Repair", catVoc, "Level 1 Award in Vehicle Body and Paint", "Repairing dents and scratches, preparing panels and spraying paint in a ventilated body shop.", []int{10, 11}},
	{"pistonworks", "Motorcycle Maintenance", catVoc, "Level 1 Award in Motorcycle Maintenance", "Strip, rebuild and service small motorcycles and scooters: carburettor cleaning, chains, brakes and electrics.", nil},
	{"pistonworks", "Scooter and Small Engine Repair", catVoc, "Entry Level 3 Certificate in Vehicle Technology", "How two-stroke and four-stroke engines work, fault finding and repairing lawnmowers, scooters and generators.", nil},
	{"pistonworks", "Bike Build Project", catPSD, "ASDAN Short Course in Vehicle Maintenance", "A group builds a trail bike from parts over the term, learning tool skills, planning and teamwork.", nil},
	{"torquelane", "Automotive Workshop Skills", catVoc, "Level 1 Award in Automotive Skills", "Hand tools, wheel changes, fluid checks and workshop safety in a small independent garage.", nil},
	{"torquelane", "Tyre and Exhaust Fitting", catVoc, "Entry Level 3 Award in Vehicle Maintenance", "Fitting and balancing tyres and replacing exhausts under supervision in a busy fast-fit centre.", []int{10, 11}},
	{"torquelane", "Car Electrics Basics", catPSD, "Entry Level 3 Award in Vehicle Electrical Systems", "Batteries, bulbs, fuses and simple circuits, with safe use of a multimeter.", nil},

	{"foundrylane", "Construction Multi-Skills", catVoc, "Level 1 Award in Construction Skills", "Bricklaying, carpentry, plastering and painting and decorating in a training workshop, moving between trades each half term.", nil},
	{"foundrylane", "Carpentry and Joinery", catVoc, "Level 1 Certificate in Carpentry and Joinery", "Measuring, marking and cutting joints, hanging doors and fitting skirting in a joinery workshop.", nil},
	{"foundrylane", "CSCS Health and Safety Preparation", catEmp, "Level 1 Award in Health and Safety in a Construction Environment", "Site safety, hazards and personal protective equipment, preparing older students for the CSCS card test after they leave school.", []int{10, 11}},
	{"brickbeam", "Bricklaying", catVoc, "Level 1 Certificate in Bricklaying", "Mixing mortar, laying bricks to a line and building walls, piers and arches.", nil},
	{"brickbeam", "Painting and Decorating", catVoc, "Level 1 Award in Painting and Decorating", "Preparing surfaces, painting and hanging wallpaper, with a community decorating project.", nil},
	{"brickbeam", "Plastering Skills", catVoc, "Entry Level 3 Award in Plastering", "Mixing and applying plaster, skimming boards and rendering, in a dedicated plastering bay.", nil},
	{"keystonetrades", "Plumbing Foundations", catVoc, "Level 1 Award in Plumbing Skills", "Cutting and joining copper and plastic pipe, fitting taps and basins, and water safety.", nil},
	{"keystonetrades", "Trades Taster", catVoc, "Entry Level 3 Certificate in Construction Skills", "A short rotation through plumbing, electrics, carpentry and tiling to help students choose a trade.", []int{8, 9, 10}},
	{"keystonetrades", "Tiling and Flooring", catVoc, "Level 1 Award in Wall and Floor Tiling", "Setting out, cutting and fixing wall and floor tiles, and laying vinyl and laminate.", nil},

	{"shearsshine", "Hairdressing", catVoc, "Level 1 Certificate in Hair and Beauty", "Shampooing, blow-drying, plaiting and styling on clients in a working salon.", nil},
	{"shearsshine", "Barbering", catVoc, "Level 1 Award in Barbering", "Clipper work, fades and beard trims, with hygiene and customer care.", nil},
	{"shearsshine", "Hair and Beauty Taster", catVoc, "Entry Level 3 Award in Hair and Beauty", "A first taste of hair, nails and skincare for younger students thinking about the industry.", []int{8, 9}},
	{"glowup", "Nail Technology", catVoc, "Level 1 Award in Nail Technology", "Manicures, nail art and gel polish, with hygiene and client consultation.", nil},
	{"glowup", "Make-up and Skincare", catVoc, "Level 1 Award in Make-up", "Day and evening make-up, skin types and skincare routines, practised on each other and on clients.", nil},
	{"glowup", "Lash and Brow Basics", catVoc, "Entry Level 3 Award in Beauty Skills", "Brow shaping, tinting and lash care, with patch testing and safe practice.", []int{10, 11}},
	{"salonpathways", "Salon Skills", catVoc, "Level 1 Certificate in Salon Services", "Reception, client care and assisting stylists in a busy salon, building towards a salon apprenticeship.", nil},
	{"salonpathways", "Beauty Therapy Introduction", catVoc, "Level 1 Award in Beauty Therapy", "Facials, hand and foot care and the science of the skin.", nil},

	{"kitchentable", "Professional Cookery", catVoc, "Level 1 Certificate in Professional Cookery", "Knife skills, sauces, bread and a three-course menu cooked for guests in a training kitchen.", nil},
	{"kitchentable", "Food Hygiene and Kitchen Safety", catEmp, "Level 2 Award in Food Safety in Catering", "The food safety certificate employers ask for, with practical kitchen work every week.", []int{10, 11}},
	{"kitchentable", "Baking and Patisserie", catVoc, "Level 1 Award in Baking", "Breads, cakes, pastry and decorating, with products sold in the academy's café.", nil},
	{"spiceroute", "World Food Cookery", catVoc, "Entry Level 3 Award in Home Cooking Skills", "Cooking dishes from South Asia, the Caribbean and the Middle East in a community kitchen.", nil},
	{"spiceroute", "Cooking on a Budget", catPSD, "Level 1 Award in Home Cooking Skills", "Planning meals, shopping on a budget and cooking healthy food for a family.", []int{8, 9, 10, 11}},
	{"frontofhouse", "Hospitality and Front of House", catVoc, "Level 1 Award in Hospitality Services", "Table service, bar work and reception skills in a hotel training suite.", nil},
	{"frontofhouse", "Barista Skills", catVoc, "Level 1 Award in Barista Skills", "Espresso, milk texturing and latte art, and serving customers in a coffee shop.", nil},
	{"frontofhouse", "Customer Service in Hospitality", catEmp, "Level 1 Award in Customer Service", "Dealing with customers, complaints and teamwork, with a week of work shadowing in a city-centre hotel.", []int{10, 11}},

	{"meadowbankfarm", "City Farm Animal Care", catVoc, "Level 1 Award in Animal Care", "Feeding, mucking out and caring for goats, pigs, sheep and poultry on a working city farm.", nil},
	{"meadowbankfarm", "Land-based Studies", catVoc, "Level 1 Certificate in Land-based Studies", "Fencing, hedge laying, crop growing and machinery safety on the farm.", nil},
	{"meadowbankfarm", "Farm Life Skills", catPD, "ASDAN Short Course in Environment", "Looking after animals and the farm to build routine, responsibility and calm.", []int{7, 8, 9}},
	{"pawshooves", "Animal Care", catVoc, "Level 1 Certificate in Animal Care", "Kennel and cattery work, animal first aid and welfare law.", nil},
	{"pawshooves", "Stable Management", catVoc, "Level 1 Award in Horse Care", "Grooming, mucking out, feeding and leading horses, with a yard routine each morning.", nil},
	{"equineinsight", "Equine Care and Handling", catVoc, "Entry Level 3 Award in Horse Care", "Safe handling, grooming and groundwork with horses and ponies on a small farm.", nil},

	{"greenhand", "Horticulture", catPSD, "Level 1 Award in Practical Horticulture Skills", "Propagating plants, growing vegetables and looking after a community garden through the seasons.", nil},
	{"greenhand", "Garden Design and Landscaping", catPSD, "Level 1 Certificate in Landscaping", "Designing and building paths, raised beds and patios, with tool and machinery safety.", nil},
	{"greenhand", "Grow Your Own", catPD, "ASDAN Short Course in Horticulture", "A calm outdoor course: students grow, cook and share their own food.", []int{7, 8, 9}},
	{"wheelwright", "Bike Mechanics", catPSD, "Level 1 Award in Cycle Mechanics", "Repairing punctures, gears and brakes, and refurbishing donated bikes for the community.", nil},
	{"wheelwright", "Cycle Confidence and Road Safety", catPD, "Bikeability Level 3", "Riding safely on busy roads, route planning and bike maintenance, with a bike to keep at the end.", []int{7, 8, 9}},
	{"makersyard", "Woodwork and Furniture Making", catPSD, "Level 1 Award in Furniture Making", "Designing and building a piece of furniture from rough timber, with hand and power tools.", nil},
	{"makersyard", "Green Woodworking", catPSD, "ASDAN Short Course in Design and Make", "Spoon carving, pole-lathe turning and stool making using traditional hand tools.", nil},
	{"makersyard", "Upcycling and Restoration", catPSD, "Entry Level 3 Award in Creative Craft", "Restoring old furniture and turning waste materials into things people will buy.", nil},
	{"brightspark", "Electrical Installation Basics", catVoc, "Level 1 Award in Electrical Installation", "Wiring sockets, lights and switches on training boards, with electrical safety.", []int{10, 11}},
	{"brightspark", "Renewable Energy Taster", catPSD, "Entry Level 3 Award in Sustainable Energy", "Solar panels, wind turbines and heat pumps: how they work, with a small solar build.", nil},
	{"brightspark", "Electronics and Soldering", catPSD, "Level 1 Award in Electronics", "Reading circuit diagrams, soldering and building working electronic kits.", nil},
	{"forestfloor", "Bushcraft and Survival Skills", catPD, "Level 1 Award in Forest School Skills", "Shelter building, fire lighting, tool use and cooking outdoors in woodland.", nil},
	{"forestfloor", "Forest School", catPD, "John Muir Award (Explorer)", "Child-led learning in the woods, building self-esteem and emotional regulation.", []int{7, 8, 9}},

	{"southpaw", "Boxing Fitness and Discipline", catPD, "Level 1 Award in Personal Fitness", "Non-contact boxing training, fitness and nutrition, with a focus on discipline and respect.", nil},
	{"southpaw", "Boxing Leadership", catPD, "Level 1 Award in Community Sports Leadership", "Students learn to coach boxing fitness to younger members of the club.", []int{10, 11}},
	{"ringside", "Resilience through Boxing", catPD, "ASDAN Short Course in Sport and Fitness", "Boxing sessions and mentoring that build resilience, self-control and confidence.", nil},
	{"ringside", "Gym Instruction Basics", catVoc, "Level 1 Award in Instructing Exercise", "Gym equipment, planning a workout and helping others exercise safely.", []int{10, 11}},
	{"pitchside", "Football Coaching and Leadership", catPD, "Level 1 Award in Sports Coaching", "Planning and delivering football sessions for primary pupils, with refereeing and first aid.", nil},
	{"pitchside", "Sport and Active Leisure", catVoc, "Level 1 Certificate in Sport and Active Leisure", "Working in leisure centres: customer service, pool and gym safety and running activities.", nil},
	{"pitchside", "Referee Foundations", catPD, "Entry Level 3 Award in Officiating", "Laws of the game, decision making under pressure and refereeing small-sided matches.", nil},

	{"nextchapter", "Next Chapter Mentoring", catPD, "ASDAN Certificate of Personal Effectiveness (Level 1)", "Weekly mentoring with a consistent adult, setting and reviewing goals for school and home.", nil},
	{"nextchapter", "Goals and Aspirations", catPD, "ASDAN Short Course in Careers", "Exploring interests, careers and the steps to get there, with visits to colleges and workplaces.", nil},
	{"nextchapter", "Restorative Mentoring", catPD, "", "Restorative conversations and mentoring for students whose relationships at school have broken down; progress reviewed with the school every six weeks.", nil},
	{"steadyground", "Steady Ground Mentoring", catPD, "ASDAN Short Course in Personal Development", "Community-based mentoring that helps students settle, attend and stay out of trouble.", nil},
	{"steadyground", "Confidence and Communication", catPD, "Level 1 Award in Personal Development", "Group work on speaking up, listening, teamwork and presenting to others.", nil},
	{"steadyground", "Anger Management Skills", catPD, "Entry Level 3 Award in Personal and Social Development", "Recognising anger early and practising ways to stay in control, in small groups.", nil},

	{"loudcanvas", "Street Art and Graphic Design", catPD, "Bronze Arts Award", "Spray art, stencils and digital design, ending in a public mural for a local community space.", nil},
	{"loudcanvas", "Photography and Digital Art", catVoc, "Level 1 Award in Creative Media Production", "Camera skills, editing and building a portfolio of photographs around the city.", nil},
	{"loudcanvas", "Art for Wellbeing", catPD, "Discover Arts Award", "Painting, collage and clay in a quiet studio, for students who find school overwhelming.", []int{7, 8, 9}},
	{"backbeat", "Music Production", catVoc, "Level 1 Award in Music Technology", "Making tracks in a recording studio: beats, sampling, mixing and mastering.", nil},
	{"backbeat", "Band Skills and Performance", catPD, "Bronze Arts Award", "Learning guitar, bass, drums or vocals and performing as a band at an end-of-term gig.", nil},
	{"backbeat", "DJ and MC Skills", catPD, "Entry Level 3 Award in Music Performance", "Mixing, beat matching and writing lyrics, with a live set at the end of the course.", nil},
	{"spotlight", "Drama and Performance", catPD, "Level 1 Award in Performing Arts", "Improvisation, scripted work and a performance, building confidence and teamwork.", nil},
	{"spotlight", "Theatre Production Skills", catVoc, "Level 1 Award in Technical Theatre", "Lighting, sound, stage management and set building backstage at a working theatre.", nil},
	{"spotlight", "Film and Video Making", catVoc, "Level 1 Award in Creative Media Production", "Writing, filming and editing a short film, with camera and sound equipment.", nil},
	{"freestyle", "Street Dance", catPD, "Level 1 Award in Dance", "Hip hop, breaking and choreography, performing at a community showcase.", nil},
	{"freestyle", "Dance Leadership", catPD, "Bronze Arts Award", "Students create and teach dance warm-ups and routines to younger children.", []int{9, 10, 11}},
	{"freestyle", "Dance Fitness", catPD, "Entry Level 3 Award in Personal Fitness", "High-energy dance workouts with healthy living and nutrition.", nil},

	{"secondchance", "English and Maths Tutoring", catCS, "Functional Skills English and Maths, Entry Level 3 to Level 1", "One-to-one and paired tutoring in English and maths, planned with the home school.", []int{7, 8, 9, 10, 11}},
	{"secondchance", "GCSE Science Catch-up", catCS, "GCSE Combined Science, entered through the home school", "Small-group science teaching with required practicals, following the home school's exam board.", []int{10, 11}},
	{"secondchance", "Study Skills and Revision", catCS, "ASDAN Short Course in Study Skills", "How to plan revision, take notes and manage exam stress, with practice papers.", []int{10, 11}},
	{"numbersup", "Functional Skills Maths Level 1", catCS, "Functional Skills Maths Level 1", "Number, measures, shape and data in real-life problems, with an on-screen assessment.", nil},
	{"numbersup", "GCSE Maths Intensive", catCS, "GCSE Maths Foundation, entered through the home school", "Intensive small-group teaching in the run-up to GCSE Maths, with weekly past papers.", []int{10, 11}},
	{"numbersup", "Numeracy for Life", catCS, "Entry Level Certificate in Mathematics", "Building confidence with number for younger students who have gaps in their maths.", []int{7, 8, 9}},
	{"wordpower", "Reading and Writing Confidence", catCS, "Functional Skills English Entry Level 3", "Phonics, reading fluency and writing for students who struggle to read.", []int{7, 8, 9}},
	{"wordpower", "GCSE English Language Catch-up", catCS, "GCSE English Language, entered through the home school", "Reading and writing skills for GCSE English Language, in groups of four.", []int{10, 11}},
	{"wordpower", "Creative Writing", catCS, "ASDAN Short Course in Creative Writing", "Stories, poetry and spoken word, with a published anthology at the end of the year.", nil},
	{"freshstart", "Core Curriculum Package", catCS, "Functional Skills English, Maths and ICT", "A full timetable of core subjects in small classes for students who cannot manage a mainstream classroom.", []int{7, 8, 9, 10, 11}},
	{"freshstart", "ICT and Digital Skills", catCS, "Level 1 Award in Digital Skills", "Word processing, spreadsheets, email and staying safe online.", nil},
	{"freshstart", "Science and Humanities", catCS, "Entry Level Certificate in Science", "Practical science, history and geography in small groups, keeping a broad curriculum.", []int{7, 8, 9, 10}},
	{"canalside", "Small-group Key Stage 4 Programme", catCS, "GCSE English, Maths and Science, entered through the home school", "Key Stage 4 teaching in classes of eight, with a tutor who keeps in touch with the home school.", []int{10, 11}},
	{"canalside", "Key Stage 3 Re-engagement", catCS, "Functional Skills English and Maths, Entry Level 3", "A short programme to rebuild routines and learning habits before a return to full-time school.", []int{7, 8, 9}},
	{"canalside", "Canal and Environment Project", catPD, "John Muir Award (Discovery)", "Conservation work along the Coventry Canal: wildlife surveys, clearing towpaths and building habitats.", nil},

	{"calmwaters", "Nurture Group Curriculum", catCS, "Functional Skills English and Maths, Entry Level 3", "English, maths and life skills in a calm nurture group with a high ratio of adults to students.", []int{7, 8, 9}},
	{"mindfulpaths", "Mindfulness and Wellbeing", catPD, "Level 1 Award in Mental Health Awareness", "Mindfulness, sleep, exercise and talking about feelings, with strategies to use in school.", nil},
	{"streetwise", "Positive Choices Workshops", catPD, "ASDAN Short Course in Citizenship", "Workshops on peer pressure, the law and consequences, with a youth worker the student can keep talking to.", nil},
	{"onlinesafe", "Digital Skills and Online Safety", catCS, "Entry Level 3 Award in Online Safety", "Using devices and the internet well and safely: privacy, scams and digital footprints.", nil},

	{"nextstep", "Employability Skills", catEmp, "Level 1 Award in Employability Skills", "Teamwork, timekeeping and communication in work-like settings, with a mock interview.", []int{10, 11}},
	{"nextstep", "CV and Interview Preparation", catEmp, "Entry Level 3 Award in Employability", "Writing a CV, filling in applications and practising interviews with local employers.", []int{10, 11}},
	{"nextstep", "Careers Exploration", catEmp, "ASDAN Short Course in Careers", "Finding out about jobs, colleges and apprenticeships, with visits and guest speakers.", []int{8, 9, 10}},
	{"hiredup", "Retail and Customer Service", catEmp, "Level 1 Award in Retail Skills", "Merchandising, tills, stock and customer service in a training shop and with local retailers.", nil},
	{"hiredup", "Work Ready Programme", catEmp, "Level 1 Certificate in Work Skills", "Preparing for work: rights and responsibilities, health and safety and a work placement.", []int{10, 11}},
	{"hiredup", "Apprenticeship Pathways", catEmp, "Level 1 Award in Preparing for Apprenticeships", "What apprenticeships involve, finding vacancies and making a strong application.", []int{11}},
	{"firstrung", "First Rung Work Skills", catEmp, "Entry Level 3 Certificate in Work Skills", "A first step into the world of work for students who need a gentle start.", nil},
	{"firstrung", "Health and Safety at Work", catEmp, "Level 1 Award in Health and Safety in the Workplace", "Hazards, risk assessment and safe working, the certificate many employers expect.", []int{10, 11}},
	{"firstrung", "Volunteering and Community Action", catPD, "Level 1 Award in Volunteering", "Planning and running a community project with a local charity.", nil},
	{"careerforge", "Construction Careers Pathway", catEmp, "Level 1 Award in Employability in Construction", "Site visits, careers in construction and the skills employers need, with a construction taster day.", []int{10, 11}},
	{"careerforge", "Engineering Taster", catVoc, "Level 1 Award in Engineering Skills", "Measuring, marking out, drilling and filing metal, and reading engineering drawings.", nil},
	{"careerforge", "Manufacturing and Welding", catVoc, "Level 1 Award in Fabrication and Welding", "MIG welding, cutting and joining steel in a fabrication workshop.", []int{10, 11}},
	{"sparkenterprise", "Young Enterprise Start-up", catEmp, "Level 1 Award in Enterprise Skills", "Students run a small business: an idea, a budget, marketing and selling at a market.", nil},
	{"sparkenterprise", "Market Stall Project", catEmp, "ASDAN Short Course in Enterprise", "Making products and selling them on a stall at Coventry's indoor market.", nil},
	{"sparkenterprise", "Social Media for Business", catEmp, "Level 1 Award in Digital Marketing", "Creating content, running a business account and measuring what works.", nil},
}

// demoSites are delivery sites some demo providers have besides their main address.
var demoSites = []DemoSite{
	{"capa", "Academy Annexe", "Annexe Building, Academy Way, Stoke, Coventry", "CV2 4NJ"},
	{"worknlearn", "Employer Hub", "Unit 3, Whitley Business Park, Coventry", "CV3 4AQ"},
	{"outdoor", "Canal Basin Boathouse", "Canal Basin, Leicester Row, Coventry", "CV1 4LH"},
	{"foundrylane", "Training Yard", "Bayton Road Industrial Estate, Coventry", "CV7 9EJ"},
	{"kitchentable", "Community Café", "Far Gosford Street, Coventry", "CV1 5DZ"},
	{"meadowbankfarm", "Allotment Plot", "Sewall Highway, Coventry", "CV2 3NS"},
	{"southpaw", "Satellite Gym", "Jardine Crescent, Tile Hill, Coventry", "CV4 9PL"},
	{"freshstart", "Clay Lane Annexe", "Clay Lane, Stoke, Coventry", "CV2 4LQ"},
}

// Patterns that give the demo Tier 1 courses varied, realistic durations, days and fees without
// randomness: course i takes pattern (i*stride) mod len, with strides coprime to the lengths.
var (
	demoDurations = []struct {
		Text  string
		Weeks int
	}{
		{"Half a term (6 weeks)", 6},
		{"One term (12 weeks)", 12},
		{"One academic year (36 weeks)", 36},
		{"Two terms (24 weeks)", 24},
		{"One term (10 weeks)", 10},
		{"Half a term (7 weeks)", 7},
		{"One academic year, with progression into a second year", 0},
	}
	demoDayPatterns = []struct {
		Days []time.Weekday
		Per  int
	}{
		{[]time.Weekday{dirMon}, 1},
		{[]time.Weekday{dirTue}, 1},
		{[]time.Weekday{dirWed}, 1},
		{[]time.Weekday{dirThu}, 1},
		{[]time.Weekday{dirFri}, 1},
		{[]time.Weekday{dirMon, dirWed}, 1},
		{[]time.Weekday{dirTue, dirThu}, 1},
		{dirWeekdays, 1},
		{[]time.Weekday{dirTue, dirWed}, 2},
		{[]time.Weekday{dirWed, dirFri}, 1},
		{[]time.Weekday{dirMon, dirThu}, 2},
		{[]time.Weekday{dirMon, dirTue, dirWed, dirThu}, 2},
	}
)

// DemoProgrammes returns every demo programme: the reference pack's own, then the Tier 1 courses.
func DemoProgrammes() []DemoProgramme {
	out := make([]DemoProgramme, 0, len(demoSpecialProgrammes)+len(demoCourses))
	for _, p := range demoSpecialProgrammes {
		p.Days = append([]time.Weekday(nil), p.Days...)
		p.YearGroups = append([]int(nil), p.YearGroups...)
		out = append(out, p)
	}
	for i, c := range demoCourses {
		d := demoDurations[(i*3)%len(demoDurations)]
		days := demoDayPatterns[(i*5)%len(demoDayPatterns)]
		years := c.Years
		if years == nil {
			years = []int{9, 10, 11}
			if i%5 == 2 {
				years = []int{8, 9, 10, 11}
			}
		}
		p := DemoProgramme{
			Slug: c.Provider + "-" + directorySlugPart(c.Name), Provider: c.Provider, Kind: "course",
			Name: c.Name, Category: c.Category, Description: c.Description, Qualifications: c.Qualifications,
			Duration: d.Text, Weeks: d.Weeks, DaysPerWeek: days.Per, Days: append([]time.Weekday(nil), days.Days...),
			YearGroups: append([]int(nil), years...),
			// £55 to £95 a day; every seventh course is priced for the whole course instead.
			FeePence: 5500 + ((i*7)%9)*500, FeeBasis: "day",
		}
		if i%7 == 3 {
			p.FeePence, p.FeeBasis = 60000+((i*11)%7)*15000, "course"
		}
		if c.Category == catPD && i%4 == 1 {
			p.Capacity = 8 // small-group personal development courses
		}
		out = append(out, p)
	}
	return out
}

// directorySlugPart turns a programme name into the lower-case, hyphenated part of its slug.
func directorySlugPart(name string) string {
	var b []rune
	dash := false
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b = append(b, r)
			dash = false
		case r >= 'A' && r <= 'Z':
			b = append(b, r+'a'-'A')
			dash = false
		default:
			if !dash && len(b) > 0 {
				b = append(b, '-')
				dash = true
			}
		}
	}
	for len(b) > 0 && b[len(b)-1] == '-' {
		b = b[:len(b)-1]
	}
	return string(b)
}
