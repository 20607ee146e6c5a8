package scale

// Fictional names for generated people and places.
var firstNames = []string{"Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Leo", "Ivy", "Arthur", "Freya", "Muhammad",
	"Grace", "Harry", "Lily", "Oscar", "Evie", "Jack", "Rosie", "Theo", "Aisha", "Kacper", "Zara", "Tomasz", "Priya", "Kwame",
	"Sofia", "Reuben", "Maya", "Jayden", "Chloe", "Ethan", "Nia", "Callum", "Hana", "Dylan", "Esme", "Ibrahim", "Layla", "Finley"}

var lastNames = []string{"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
	"Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Khan", "Ahmed",
	"Kowalski", "Mensah", "Okonkwo", "Singh", "Hughes", "Edwards", "Lewis", "Harris", "Martin", "Cooper", "Ward", "Morris", "Bell"}

var placeNames = []string{"Allesley", "Binley", "Canley", "Earlsdon", "Foleshill", "Holbrook", "Keresley", "Longford", "Radford",
	"Stoke Aldermoor", "Tile Hill", "Walsgrave", "Willenhall", "Wyken", "Styvechale", "Finham", "Bell Green", "Coundon", "Hillfields", "Exhall"}
